//! The columns doisoat knows: the Ministry's digitization template and the population extract.
use crate::normalize::text::loose_key;
use serde::Serialize;
use std::collections::HashMap;
use std::sync::LazyLock;

/// The five kinds of civil-status record.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub enum RecordType {
    /// khai sinh (birth)
    KS,
    /// kết hôn (marriage)
    KH,
    /// khai tử (death)
    KT,
    /// nhận cha, mẹ, con (parent-child recognition)
    CMC,
    /// xác nhận tình trạng hôn nhân (marital-status certification)
    HN,
}

impl RecordType {
    /// All types, in report order.
    pub const ALL: [RecordType; 5] = [
        RecordType::KS,
        RecordType::KH,
        RecordType::KT,
        RecordType::CMC,
        RecordType::HN,
    ];
    /// The code used in outputs.
    pub fn code(self) -> &'static str {
        match self {
            RecordType::KS => "KS",
            RecordType::KH => "KH",
            RecordType::KT => "KT",
            RecordType::CMC => "CMC",
            RecordType::HN => "HN",
        }
    }
    /// The name of the record type in a language.
    pub fn label(self, lang: crate::vocab::Lang) -> &'static str {
        lang.pick(self.label_vi(), self.label_en())
    }
    /// The Vietnamese name of the book.
    pub fn label_vi(self) -> &'static str {
        match self {
            RecordType::KS => "Khai sinh",
            RecordType::KH => "Kết hôn",
            RecordType::KT => "Khai tử",
            RecordType::CMC => "Nhận cha, mẹ, con",
            RecordType::HN => "Xác nhận tình trạng hôn nhân",
        }
    }
    /// The English name of the book.
    pub fn label_en(self) -> &'static str {
        match self {
            RecordType::KS => "Birth",
            RecordType::KH => "Marriage",
            RecordType::KT => "Death",
            RecordType::CMC => "Parent-child recognition",
            RecordType::HN => "Marital-status certification",
        }
    }
    /// Parse a code.
    pub fn from_code(s: &str) -> Option<RecordType> {
        RecordType::ALL
            .into_iter()
            .find(|t| t.code().eq_ignore_ascii_case(s))
    }
}

/// Header columns shared by every book.
pub const COMMON: &[&str] = &[
    "so",
    "quyenSo",
    "trangSo",
    "ngayDangKy",
    "loaiDangKy",
    "noiDangKy",
    "nguoiKy",
    "chucVuNguoiKy",
    "nguoiThucHien",
    "ghiChu",
];

/// Person sub-fields used by KT, KH (chong/vo), CMC (cm/nc) and HN (nxn).
const PERSON: &[&str] = &[
    "HoTen",
    "GioiTinh",
    "NgaySinh",
    "DanToc",
    "QuocTich",
    "QuocTichKhac",
    "LoaiCuTru",
    "NoiCuTru",
    "LoaiGiayToTuyThan",
    "GiayToKhac",
    "SoGiayToTuyThan",
    "NgayCapGiayToTuyThan",
    "NoiCapGiayToTuyThan",
    "QueQuan",
];

const KS_EXTRA: &[&str] = &[
    "nksHoTen",
    "nksGioiTinh",
    "nksNgaySinh",
    "nksNgaySinhBangChu",
    "nksNoiSinh",
    "nksNoiSinhDVHC",
    "nksQueQuan",
    "nksDanToc",
    "nksQuocTich",
    "nksQuocTichKhac",
    "nksLoaiKhaiSinh",
    "nksMatTich",
    "nksHanCheNangLucHanhVi",
    "meHoTen",
    "meNgaySinh",
    "meDanToc",
    "meQuocTich",
    "meQuocTichKhac",
    "meLoaiCuTru",
    "meNoiCuTru",
    "meLoaiGiayToTuyThan",
    "meSoGiayToTuyThan",
    "chaHoTen",
    "chaNgaySinh",
    "chaDanToc",
    "chaQuocTich",
    "chaQuocTichKhac",
    "chaLoaiCuTru",
    "chaNoiCuTru",
    "chaLoaiGiayToTuyThan",
    "chaSoGiayToTuyThan",
    "soDangKyNuocNgoai",
    "ngayDangKyNuocNgoai",
    "cqNuocNgoaiDaDangKy",
    "qgNuocNgoaiDaDangKy",
];

const KT_EXTRA: &[&str] = &[
    "nktNgayChet",
    "nktNgayChetGhiBangChu",
    "nktGioPhutChet",
    "nktNoiChet",
    "nktNguyenNhanChet",
    "nktTinhTrangTuyenBoViecChet",
    "gbtLoai",
    "gbtSo",
    "gbtNgay",
    "gbtCoQuanCap",
];

const KH_EXTRA: &[&str] = &[
    "ngayXacLapQuanHeHonNhan",
    "tinhTrangKetHon",
    "huyKetHonNgayGhiChu",
    "huyKetHonCanCu",
    "congNhanKetHonNgayGhiChu",
    "congNhanKetHonCanCu",
];

const CMC_EXTRA: &[&str] = &["quyetDinhSo", "loaiXacNhan"];

const HN_EXTRA: &[&str] = &[
    "noiCap",
    "nxnThoiGianCuTruTai",
    "nxnThoiGianCuTruTu",
    "nxnThoiGianCuTruDen",
    "nxnTinhTrangHonNhan",
    "nxnLoaiMucDichSuDung",
    "nxnMucDichSuDung",
];

const DECLARANT: &[&str] = &[
    "nycHoTen",
    "nycQuanHe",
    "nycLoaiGiayToTuyThan",
    "nycGiayToKhac",
    "nycSoGiayToTuyThan",
    "nycNgayCapGiayToTuyThan",
    "nycNoiCapGiayToTuyThan",
    "nycQHNguoiDuocNhan",
    "nycQHNguoiNhan",
];

fn prefixed(prefix: &str) -> Vec<String> {
    PERSON.iter().map(|f| format!("{prefix}{f}")).collect()
}

/// Every template column of a record type, in template order.
pub fn civil_columns(t: RecordType) -> Vec<String> {
    let mut v: Vec<String> = COMMON.iter().map(|s| s.to_string()).collect();
    match t {
        RecordType::KS => v.extend(KS_EXTRA.iter().map(|s| s.to_string())),
        RecordType::KT => {
            v.extend(prefixed("nkt"));
            v.extend(KT_EXTRA.iter().map(|s| s.to_string()));
        }
        RecordType::KH => {
            v.extend(KH_EXTRA.iter().map(|s| s.to_string()));
            v.extend(prefixed("chong"));
            v.extend(prefixed("vo"));
        }
        RecordType::CMC => {
            v.extend(CMC_EXTRA.iter().map(|s| s.to_string()));
            v.extend(prefixed("cm"));
            v.extend(prefixed("nc"));
        }
        RecordType::HN => {
            v.extend(HN_EXTRA.iter().map(|s| s.to_string()));
            v.extend(prefixed("nxn"));
        }
    }
    v.extend(DECLARANT.iter().map(|s| s.to_string()));
    v
}

/// Loose key → canonical template name, over all five types.
pub static CIVIL_KEYS: LazyLock<HashMap<String, String>> = LazyLock::new(|| {
    let mut m = HashMap::new();
    for t in RecordType::ALL {
        for c in civil_columns(t) {
            m.insert(loose_key(&c), c);
        }
    }
    m
});

/// The record type a set of canonical civil columns points to (`nks*` → KS, `nkt*` → KT,
/// `chong*`/`vo*` → KH, `cm*`/`nc*` → CMC, `nxn*` → HN), by the most columns.
pub fn detect_record_type<'a>(columns: impl Iterator<Item = &'a str>) -> Option<RecordType> {
    let mut counts = [0usize; 5];
    for c in columns {
        let t = if c.starts_with("nks")
            || c.starts_with("me")
            || c.starts_with("cha") && !c.starts_with("chong")
        {
            Some(0)
        } else if c.starts_with("chong") || c.starts_with("vo") {
            Some(1)
        } else if c.starts_with("nkt") || c.starts_with("gbt") {
            Some(2)
        } else if c.starts_with("cm") || c.starts_with("nc") && !c.starts_with("nctx") {
            Some(3)
        } else if c.starts_with("nxn") {
            Some(4)
        } else {
            None
        };
        if let Some(i) = t {
            counts[i] += 1;
        }
    }
    let (i, &n) = counts
        .iter()
        .enumerate()
        .max_by_key(|(i, n)| (**n, std::cmp::Reverse(*i)))?;
    (n >= 1).then_some(RecordType::ALL[i])
}

pub use super::aliases::{POPULATION_FIELDS, POPULATION_KEYS, guess_population_field};

/// Columns that hold Vietnamese text and go through the legacy-encoding repair.
pub fn is_text_column(canonical: &str) -> bool {
    let c = canonical;
    c.ends_with("HoTen")
        || c.ends_with("NoiSinh")
        || c.ends_with("QueQuan")
        || c.ends_with("DanToc")
        || c.ends_with("QuocTich")
        || c.ends_with("NoiCuTru")
        || c.ends_with("NoiChet")
        || matches!(
            c,
            "noiDangKy"
                | "noiCap"
                | "nguoiKy"
                | "chucVuNguoiKy"
                | "nguoiThucHien"
                | "ghiChu"
                | "nxnTinhTrangHonNhan"
                | "ho_ten"
                | "noi_sinh"
                | "noi_dang_ky_khai_sinh"
                | "que_quan"
                | "dan_toc"
                | "quoc_tich"
                | "noi_thuong_tru"
                | "ho_ten_cha"
                | "ho_ten_me"
                | "ho_ten_vo_chong"
                | "tinh_trang_hon_nhan"
                | "nksGioiTinh"
                | "nktGioiTinh"
                | "nxnGioiTinh"
                | "gioi_tinh"
        )
}

/// Columns that hold personal names (decoded with the name lexicon).
pub fn is_name_column(canonical: &str) -> bool {
    canonical.ends_with("HoTen") || canonical.starts_with("ho_ten") || canonical == "nguoiKy"
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn template_sizes_and_type_detection() {
        assert!(civil_columns(RecordType::KS).contains(&"nksHoTen".to_string()));
        let ks = civil_columns(RecordType::KS);
        assert_eq!(
            detect_record_type(ks.iter().map(String::as_str)),
            Some(RecordType::KS)
        );
        for t in RecordType::ALL {
            let cols = civil_columns(t);
            assert_eq!(
                detect_record_type(cols.iter().map(String::as_str)),
                Some(t),
                "{t:?}"
            );
        }
        assert_eq!(detect_record_type(["so", "ghiChu"].into_iter()), None);
    }

    #[test]
    fn population_aliases() {
        let k = |s: &str| POPULATION_KEYS.get(&loose_key(s)).copied();
        assert_eq!(k("Số định danh cá nhân"), Some("so_dinh_danh"));
        assert_eq!(k("Số ĐDCN"), Some("so_dinh_danh"));
        assert_eq!(k("SoDinhDanh"), Some("so_dinh_danh"));
        assert_eq!(k("CCCD"), Some("so_dinh_danh"));
        assert_eq!(k("Họ và tên"), Some("ho_ten"));
        assert_eq!(k("Họ, chữ đệm và tên"), Some("ho_ten"));
        assert_eq!(k("HoTen"), Some("ho_ten"));
        assert_eq!(k("Họ tên vợ/chồng"), Some("ho_ten_vo_chong"));
        assert_eq!(k("NGÀY SINH"), Some("ngay_sinh"));
    }

    #[test]
    fn population_headers_guessed_by_their_words() {
        let g = |s: &str| guess_population_field(&loose_key(s));
        assert_eq!(g("Họ, chữ đệm và tên khai sinh"), Some("ho_ten"));
        assert_eq!(g("Họ và tên\n(khai sinh)"), Some("ho_ten"));
        assert_eq!(g("Họ, chữ đệm và tên cha"), Some("ho_ten_cha"));
        assert_eq!(g("Họ tên người mẹ"), Some("ho_ten_me"));
        assert_eq!(g("Họ, chữ đệm và tên vợ/chồng"), Some("ho_ten_vo_chong"));
        assert_eq!(g("Ngày, tháng, năm chết hoặc mất tích"), Some("ngay_chet"));
        assert_eq!(g("Ngày tháng năm sinh (dd/mm/yyyy)"), Some("ngay_sinh"));
        assert_eq!(g("Số định danh cá nhân (CCCD)"), Some("so_dinh_danh"));
        assert_eq!(g("Số CMND cũ"), Some("so_cmnd"));
        assert_eq!(
            g("Nơi đăng ký khai sinh (mã)"),
            Some("noi_dang_ky_khai_sinh")
        );
        assert_eq!(g("Nơi ở hiện tại"), Some("noi_thuong_tru"));
        assert_eq!(
            g("Tình trạng hôn nhân hiện tại"),
            Some("tinh_trang_hon_nhan")
        );
        // about someone else, or a document's date: not guessed
        assert_eq!(g("Họ tên chủ hộ"), None);
        assert_eq!(g("Quan hệ với chủ hộ"), None);
        assert_eq!(g("Ngày cấp CCCD"), None);
        assert_eq!(g("Năm sinh cha"), None);
        assert_eq!(g("STT"), None);
    }
}
