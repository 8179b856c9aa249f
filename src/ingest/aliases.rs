//! The population extract's fields and the header spellings they go by: the canonical field
//! names, their aliases (insensitive to case, spacing and diacritics), and a guess from the
//! words of a header no alias list has.
use crate::normalize::text::loose_key;
use std::collections::HashMap;
use std::sync::LazyLock;

/// The canonical fields of a population extract.
pub const POPULATION_FIELDS: [&str; 16] = [
    "so_dinh_danh",
    "ho_ten",
    "ngay_sinh",
    "gioi_tinh",
    "noi_sinh",
    "noi_dang_ky_khai_sinh",
    "que_quan",
    "dan_toc",
    "quoc_tich",
    "noi_thuong_tru",
    "ho_ten_cha",
    "ho_ten_me",
    "ho_ten_vo_chong",
    "tinh_trang_hon_nhan",
    "ngay_chet",
    "so_cmnd",
];

/// The header aliases of a population field.
pub fn aliases_of(field: &str) -> Vec<&'static str> {
    POPULATION_ALIASES
        .iter()
        .filter(|(f, _)| *f == field)
        .flat_map(|(_, a)| a.iter().copied())
        .collect()
}

/// Header aliases of each population field, as police extracts and spreadsheets write them.
const POPULATION_ALIASES: &[(&str, &[&str])] = &[
    (
        "so_dinh_danh",
        &[
            "Số định danh cá nhân",
            "Số định danh",
            "Số ĐDCN",
            "SoDinhDanh",
            "CCCD",
            "Số CCCD",
            "Căn cước công dân",
            "Số căn cước",
            "Mã định danh",
            "Personal ID",
            "ID",
            "so_dinh_danh_ca_nhan",
        ],
    ),
    (
        "ho_ten",
        &[
            "Họ và tên",
            "Họ, chữ đệm và tên",
            "Họ chữ đệm và tên",
            "Họ tên",
            "HoTen",
            "Họ và tên khai sinh",
            "Full name",
            "name",
        ],
    ),
    (
        "ngay_sinh",
        &[
            "Ngày sinh",
            "Ngày, tháng, năm sinh",
            "Ngày tháng năm sinh",
            "NgaySinh",
            "DOB",
            "Date of birth",
        ],
    ),
    ("gioi_tinh", &["Giới tính", "GioiTinh", "Sex", "Gender"]),
    ("noi_sinh", &["Nơi sinh", "NoiSinh", "Place of birth"]),
    (
        "noi_dang_ky_khai_sinh",
        &[
            "Nơi đăng ký khai sinh",
            "Nơi ĐKKS",
            "NoiDangKyKhaiSinh",
            "Nơi đăng kí khai sinh",
        ],
    ),
    ("que_quan", &["Quê quán", "QueQuan"]),
    ("dan_toc", &["Dân tộc", "DanToc", "Ethnicity"]),
    ("quoc_tich", &["Quốc tịch", "QuocTich", "Nationality"]),
    (
        "noi_thuong_tru",
        &[
            "Nơi thường trú",
            "Địa chỉ thường trú",
            "Thường trú",
            "NoiThuongTru",
            "Địa chỉ",
        ],
    ),
    (
        "ho_ten_cha",
        &[
            "Họ tên cha",
            "Họ và tên cha",
            "Họ, chữ đệm và tên cha",
            "HoTenCha",
            "Cha",
        ],
    ),
    (
        "ho_ten_me",
        &[
            "Họ tên mẹ",
            "Họ và tên mẹ",
            "Họ, chữ đệm và tên mẹ",
            "HoTenMe",
            "Mẹ",
        ],
    ),
    (
        "ho_ten_vo_chong",
        &[
            "Họ tên vợ/chồng",
            "Họ tên vợ chồng",
            "Họ và tên vợ/chồng",
            "Vợ/chồng",
            "HoTenVoChong",
            "Họ tên vợ hoặc chồng",
        ],
    ),
    (
        "tinh_trang_hon_nhan",
        &[
            "Tình trạng hôn nhân",
            "TinhTrangHonNhan",
            "TTHN",
            "Marital status",
        ],
    ),
    (
        "ngay_chet",
        &[
            "Ngày chết",
            "Ngày mất",
            "Ngày chết/mất tích",
            "Ngày, tháng, năm chết",
            "NgayChet",
            "Date of death",
        ],
    ),
    (
        "so_cmnd",
        &[
            "Số CMND",
            "CMND",
            "Chứng minh nhân dân",
            "Số CMND 9 số",
            "SoCMND",
        ],
    ),
];

/// Loose key → canonical population field.
pub static POPULATION_KEYS: LazyLock<HashMap<String, &'static str>> = LazyLock::new(|| {
    let mut m = HashMap::new();
    for (field, aliases) in POPULATION_ALIASES {
        m.insert(loose_key(field), *field);
        for a in *aliases {
            m.insert(loose_key(a), *field);
        }
    }
    m
});

/// The population field a header names by its words, for headers no alias list has ("Họ, chữ
/// đệm và tên khai sinh", "Ngày tháng năm chết hoặc mất tích", "Họ tên người mẹ"). `key` is the
/// header's loose key. Columns about someone else (the household head, the declarant) and
/// documents' dates are not guessed.
pub fn guess_population_field(key: &str) -> Option<&'static str> {
    let has = |w: &str| key.contains(w);
    if [
        "chuho",
        "nguoikhai",
        "yeucau",
        "ngaycap",
        "noicap",
        "hieuluc",
        "quanhe",
    ]
    .iter()
    .any(|w| has(w))
    {
        return None;
    }
    if has("cmnd") || has("chungminh") {
        return Some("so_cmnd");
    }
    if has("dinhdanh") || has("cccd") || has("cancuoc") {
        return Some("so_dinh_danh");
    }
    let spouse = has("vochong") || has("vohoacchong") || has("chongvo");
    let father = key.ends_with("cha") || has("nguoicha") || has("tencha");
    let mother = key.ends_with("me") || has("nguoime") || has("tenme");
    if has("hoten") || has("hovaten") || has("hochudem") || has("tenkhaisinh") {
        return Some(if spouse {
            "ho_ten_vo_chong"
        } else if father {
            "ho_ten_cha"
        } else if mother {
            "ho_ten_me"
        } else {
            "ho_ten"
        });
    }
    if spouse || father || mother {
        return None;
    }
    if has("chet") || has("ngaymat") || has("matich") || has("tuvong") {
        return Some("ngay_chet");
    }
    if has("ngaysinh") || has("namsinh") || has("ngaythangnam") {
        return Some("ngay_sinh");
    }
    if has("dangkykhaisinh") || has("dangkikhaisinh") || has("dkks") {
        return Some("noi_dang_ky_khai_sinh");
    }
    if has("noisinh") {
        return Some("noi_sinh");
    }
    if has("quequan") || has("nguyenquan") {
        return Some("que_quan");
    }
    if has("thuongtru") || has("noiohientai") || has("diachi") {
        return Some("noi_thuong_tru");
    }
    if has("dantoc") {
        return Some("dan_toc");
    }
    if has("quoctich") {
        return Some("quoc_tich");
    }
    if has("gioitinh") {
        return Some("gioi_tinh");
    }
    if has("honnhan") {
        return Some("tinh_trang_hon_nhan");
    }
    None
}
