//! The vocabulary of every output: statuses, flags, conflict fields and findings, each with its
//! code (as written in the CSV files), its label and its glossary entry in Vietnamese and English.
//! Declared once here; the outputs, reports, work lists and the glossary all read them from here.
use serde::{Deserialize, Serialize};

/// The language of the reports.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default, clap::ValueEnum, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    /// tiếng Việt
    #[default]
    Vi,
    /// English
    En,
}

impl Lang {
    /// Pick the text of this language.
    pub fn pick<'a>(self, vi: &'a str, en: &'a str) -> &'a str {
        match self {
            Lang::Vi => vi,
            Lang::En => en,
        }
    }
}

/// A code of the vocabulary with its labels.
pub trait Term: Copy + 'static {
    /// Every value, in report order.
    fn all() -> &'static [Self];
    /// The code used in files.
    fn code(self) -> &'static str;
    /// The short label in a language.
    fn label(self, lang: Lang) -> &'static str;
    /// What it means, for the glossary.
    fn about(self, lang: Lang) -> &'static str;
    /// The value of a code.
    fn from_code(s: &str) -> Option<Self> {
        Self::all().iter().copied().find(|x| x.code() == s)
    }
}

macro_rules! vocabulary {
    ($(#[$meta:meta])* pub enum $name:ident {
        $($(#[$vmeta:meta])* $var:ident = ($code:literal, $vi:literal, $en:literal, $avi:literal, $aen:literal)),+ $(,)?
    }) => {
        $(#[$meta])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum $name { $($(#[$vmeta])* $var),+ }

        impl $name {
            /// Every value, in report order.
            pub const ALL: &'static [$name] = &[$($name::$var),+];
            /// The code used in files.
            pub fn code(self) -> &'static str {
                match self { $($name::$var => $code),+ }
            }
            /// The value of a code.
            pub fn from_code(s: &str) -> Option<$name> {
                match s { $($code => Some($name::$var),)+ _ => None }
            }
            /// The short label in a language.
            pub fn label(self, lang: Lang) -> &'static str {
                match self { $($name::$var => lang.pick($vi, $en)),+ }
            }
            /// What it means, for the glossary.
            pub fn about(self, lang: Lang) -> &'static str {
                match self { $($name::$var => lang.pick($avi, $aen)),+ }
            }
        }

        impl Term for $name {
            fn all() -> &'static [Self] { Self::ALL }
            fn code(self) -> &'static str { $name::code(self) }
            fn label(self, lang: Lang) -> &'static str { $name::label(self, lang) }
            fn about(self, lang: Lang) -> &'static str { $name::about(self, lang) }
        }

        impl Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.code())
            }
        }

        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let s = String::deserialize(d)?;
                $name::from_code(&s)
                    .ok_or_else(|| serde::de::Error::custom(format!("unknown code {s:?}")))
            }
        }
    };
}

vocabulary! {
    /// The status of a civil subject.
    pub enum Status {
        /// linked, every compared field agrees
        Matched = ("matched", "Khớp", "Matched",
            "Đã tìm thấy công dân trong CSDL dân cư và mọi trường so sánh đều khớp (sau chuẩn hóa: khác biệt về bảng mã, chữ hoa, dấu cách, vị trí dấu thanh, định dạng ngày, tên cũ và mới của đơn vị hành chính không tính là sai lệch).",
            "The person was found in the registry and every compared field agrees after normalization (encoding, case, spacing, tone placement, date format and old or new unit names are not differences)."),
        /// linked, some fields disagree
        Conflict = ("conflict", "Sai lệch", "Conflict",
            "Đã tìm thấy công dân nhưng có trường khác nhau giữa sổ hộ tịch và CSDL dân cư; cột conflict_fields liệt kê các trường, kèm giá trị của hai bên.",
            "The person was found but some fields disagree between the book and the registry; conflict_fields lists them with both values."),
        /// a candidate exists but the evidence is not decisive
        Review = ("review", "Cần xem xét", "Review",
            "Có ứng viên nhưng bằng chứng chưa đủ chắc chắn (xác suất giữa hai ngưỡng) hoặc hai ứng viên quá gần nhau: cán bộ cần xem sổ gốc để chọn.",
            "A candidate exists but the evidence is between the thresholds, or two candidates are too close: a person must check the book and choose."),
        /// in scope, but no person in the extract
        Missing = ("missing", "Không tìm thấy", "Missing",
            "Bản ghi thuộc phạm vi nhưng không tìm thấy công dân tương ứng trong trích xuất CSDL dân cư.",
            "The record is in scope but no person of the registry extract matches it."),
        /// not expected in the extract
        OutOfScope = ("out_of_scope", "Ngoài phạm vi", "Out of scope",
            "Không kỳ vọng có trong CSDL dân cư: người đã chết trước mốc xây dựng CSDL (mặc định 01/7/2021), hoặc người đủ cao tuổi để coi như đã mất trước mốc đó (cờ presumed_dead).",
            "Not expected in the registry: a person who died before its baseline date (2021-07-01 by default), or old enough to be presumed dead before it (flag presumed_dead)."),
    }
}

vocabulary! {
    /// A field that can disagree between a book and the registry.
    pub enum Field {
        /// name
        Name = ("name", "Họ, chữ đệm và tên", "Name",
            "Họ tên khác nhau sau chuẩn hóa (không tính khác biệt chỉ do thiếu dấu: xem cờ no_diacritics).",
            "The names differ after normalization (a name typed without diacritics is not a difference: see the flag no_diacritics)."),
        /// date of birth
        Dob = ("dob", "Ngày sinh", "Date of birth",
            "Ngày sinh khác nhau ở độ chính xác chung của hai bên (năm, tháng, ngày).",
            "The dates of birth differ at the precision both sides have (year, month, day)."),
        /// sex
        Gender = ("gender", "Giới tính", "Sex",
            "Giới tính khác nhau; phải cấp lại số định danh cá nhân.",
            "The sexes differ; the personal ID must be re-issued."),
        /// place of birth, or of birth registration
        BirthPlace = ("birth_place", "Nơi sinh / nơi đăng ký khai sinh", "Place of birth or of birth registration",
            "Nơi sinh, hoặc nơi đăng ký khai sinh (xã có sổ ghi khai sinh so với xã CSDL ghi), khác nhau; khác tỉnh thì phải cấp lại số định danh.",
            "The place of birth, or of birth registration (the commune whose book holds the birth against the one the registry names), differs; across provinces the personal ID must be re-issued."),
        /// ethnic group
        Ethnicity = ("ethnicity", "Dân tộc", "Ethnicity",
            "Dân tộc khác nhau.", "The ethnic groups differ."),
        /// father's name
        FatherName = ("father_name", "Họ tên cha", "Father's name",
            "Họ tên cha khác nhau, hoặc sổ để trống tên cha trong khi CSDL có (trừ khi có bản ghi nhận cha con).",
            "The fathers' names differ, or the book leaves the father blank while the registry names one (unless a parent-child recognition is in the books)."),
        /// mother's name
        MotherName = ("mother_name", "Họ tên mẹ", "Mother's name",
            "Họ tên mẹ khác nhau.", "The mothers' names differ."),
    }
}

vocabulary! {
    /// A finding about a registry person.
    pub enum FindingKind {
        /// a person in scope with no birth record
        NoBirthRecord = ("no_birth_record", "Chưa có dữ liệu khai sinh", "No birth record",
            "Công dân đăng ký khai sinh tại địa phương, trong những năm mà sổ khai sinh của xã có trong dữ liệu số hóa, nhưng không tìm thấy bản ghi khai sinh.",
            "A person whose birth was registered locally, in years the commune's birth books in the drop cover, has no birth record."),
        /// a death record exists, the registry shows the person alive
        DeathNotRecorded = ("death_not_recorded", "Khai tử chưa cập nhật", "Death not recorded",
            "Sổ hộ tịch có khai tử nhưng CSDL dân cư vẫn ghi công dân còn sống.",
            "A death is registered in the books but the registry shows the person alive."),
        /// a marriage record exists, the registry's marital status disagrees
        MarriageNotRecorded = ("marriage_not_recorded", "Kết hôn chưa cập nhật", "Marriage not recorded",
            "Sổ hộ tịch có đăng ký kết hôn (chưa ly hôn) nhưng CSDL dân cư ghi công dân chưa kết hôn.",
            "A marriage (not dissolved) is registered in the books but the registry shows the person single."),
        /// the same personal ID on several rows of the extract
        DuplicateId = ("duplicate_id", "Trùng số định danh", "Duplicate ID",
            "Cùng một số định danh xuất hiện ở nhiều dòng của trích xuất CSDL dân cư; chỉ giữ dòng đầu để đối soát.",
            "The same personal ID is on several rows of the registry extract; only the first is used for linking."),
    }
}

vocabulary! {
    /// A flag on a civil subject (any number per subject).
    pub enum Flag {
        /// a date that cannot be read, a month above 12, or an implausible year
        InvalidDate = ("invalid_date", "Ngày không hợp lệ", "Invalid date",
            "Ngày không đọc được, tháng lớn hơn 12 hoặc năm không hợp lý.",
            "A date that cannot be read, a month above 12, or an implausible year."),
        /// a day past the month's end (30/02)
        ImpossibleDate = ("impossible_date", "Ngày không tồn tại", "Impossible date",
            "Ngày vượt quá số ngày của tháng (30/02, 31/04…).",
            "A day past the end of its month (30/02, 31/04…)."),
        /// registered before the event
        RegistrationBeforeEvent = ("registration_before_event", "Đăng ký trước sự kiện", "Registered before the event",
            "Ngày đăng ký sớm hơn ngày sinh hoặc ngày chết.",
            "The registration date is before the birth or the death it registers."),
        /// no signer recorded
        MissingSigner = ("missing_signer", "Thiếu người ký", "No signer",
            "Không ghi người ký (nguoiKy).", "No signer (nguoiKy) is recorded."),
        /// no book number or register number
        MissingBookNumber = ("missing_book_number", "Thiếu quyển số / số", "No book or register number",
            "Không ghi quyển số hoặc số đăng ký.", "The book number or the register number is empty."),
        /// the register number continues the previous year's numbering
        NumberingContinued = ("numbering_continued", "Số đăng ký nối tiếp năm trước", "Numbering continued",
            "Số đăng ký năm mới tiếp nối số của năm trước thay vì bắt đầu lại từ 01 (TT 04/2020 Điều 29).",
            "The register numbers of a new year continue the previous year's instead of restarting at 01 (Circular 04/2020 Art. 29)."),
        /// the ID's sex digit disagrees with the record's sex
        IdSexMismatch = ("id_sex_mismatch", "Số định danh không khớp giới tính", "ID disagrees with sex",
            "Chữ số giới tính trong số định danh không khớp giới tính của bản ghi.",
            "The sex digit of the personal ID disagrees with the record's sex."),
        /// the ID's year digits disagree with the birth year
        IdBirthYearMismatch = ("id_birth_year_mismatch", "Số định danh không khớp năm sinh", "ID disagrees with birth year",
            "Hai chữ số năm sinh trong số định danh không khớp năm sinh của bản ghi.",
            "The birth-year digits of the personal ID disagree with the record's birth year."),
        /// the ID's province digits disagree with the birth-registration province
        IdProvinceMismatch = ("id_province_mismatch", "Số định danh không khớp tỉnh đăng ký", "ID disagrees with province",
            "Ba chữ số đầu của số định danh không khớp tỉnh đăng ký khai sinh.",
            "The first three digits of the personal ID disagree with the birth-registration province."),
        /// a place no unit matches
        UnresolvedPlace = ("unresolved_place", "Địa danh không xác định", "Unresolved place",
            "Không xác định được đơn vị hành chính của địa danh (lưu nháp).",
            "No administrative unit matches the place as written (draft)."),
        /// a legacy encoding was decoded
        LegacyEncoding = ("legacy_encoding", "Bảng mã cũ đã chuyển", "Legacy encoding decoded",
            "Bản ghi được gõ bằng bảng mã cũ (TCVN3, VNI, VIQR…) và đã được chuyển sang Unicode.",
            "The record was typed in a legacy encoding (TCVN3, VNI, VIQR…) and was decoded to Unicode."),
        /// the same book key more than once
        DuplicateBookKey = ("duplicate_book_key", "Trùng quyển số và số", "Duplicate book number",
            "Hai bản ghi cùng nơi đăng ký, loại sổ, quyển số, số và năm.",
            "Two records share agency, book type, book, register number and year."),
        /// the same event registered more than once
        DuplicateEvent = ("duplicate_event", "Đăng ký nhiều lần", "Registered more than once",
            "Cùng một sự kiện của cùng một người được đăng ký nhiều lần (đăng ký lại); một bản ghi cần được hủy.",
            "The same event of the same person is registered more than once (a re-registration); one record must be cancelled."),
        /// a malformed ID
        InvalidId = ("invalid_id", "Số định danh sai định dạng", "Malformed ID",
            "Số định danh sai độ dài, có chữ cái hoặc mã tỉnh không tồn tại.",
            "A personal ID of the wrong length, with letters, or with an unknown province code."),
        /// a mandatory field is empty
        MissingMandatory = ("missing_mandatory_field", "Thiếu trường bắt buộc", "Mandatory field empty",
            "Thiếu họ tên, hoặc thiếu ngày sinh trong bản ghi khai sinh.",
            "The name is empty, or the date of birth of a birth record."),
        /// a two-digit year was expanded
        TwoDigitYear = ("two_digit_year", "Năm ghi hai chữ số", "Two-digit year",
            "Năm được ghi bằng hai chữ số và đã được mở rộng.", "A year written with two digits was expanded."),
        /// no person found, old enough to be presumed dead
        PresumedDead = ("presumed_dead", "Coi như đã mất", "Presumed dead",
            "Không tìm thấy trong CSDL và đủ cao tuổi (mặc định 80) tại mốc CSDL để coi như đã mất trước đó.",
            "Not found, and old enough at the baseline (80 by default) to be presumed dead before it."),
        /// a name typed without diacritics
        NoDiacritics = ("no_diacritics", "Gõ không dấu", "Typed without diacritics",
            "Họ tên trong dữ liệu số hóa gõ không dấu (Nguyen Van An); khớp với CSDL khi bỏ dấu nên không phải sai lệch. Cần nhập lại có dấu theo sổ; giá trị gợi ý là họ tên có dấu trong CSDL.",
            "A name of the digitized record typed without diacritics (Nguyen Van An); it agrees with the registry once folded, so it is no conflict. Re-type it with its diacritics from the book; the registry's accented form is the suggested value."),
        /// the registry's date of birth is 1 January, or the year only, where the book has the day
        RegistryDobYearOnly = ("registry_dob_year_only", "CSDL chỉ có năm sinh", "Registry has the birth year only",
            "CSDL dân cư chỉ biết năm sinh (ghi 01/01 hoặc chỉ ghi năm) trong khi sổ hộ tịch có ngày, tháng sinh: công an xã bổ sung theo sổ.",
            "The registry knows the year of birth only (stored as 1 January, or the year alone) while the book has the day and month: the commune police complete it from the book."),
        /// a parent-child recognition in the books names this birth's child
        FatherRecognised = ("father_recognised", "Có bản ghi nhận cha con", "Recognised by a CMC record",
            "Một bản ghi nhận cha, mẹ, con trong dữ liệu số hóa nhận người con của bản ghi khai sinh này: tên cha để trống trong sổ khai sinh không phải sai lệch.",
            "A parent-child recognition in the digitized books recognises this birth's child: a father left blank in the birth book is not a conflict."),
        /// a cell starts like a spreadsheet formula
        FormulaLikeValue = ("formula_like_value", "Giá trị như công thức", "Formula-like value",
            "Một ô bắt đầu bằng =, +, - hoặc @ (như công thức Excel); trong các tệp CSV kết quả, ô đó được thêm dấu ' ở đầu để Excel không chạy nó.",
            "A cell starts with =, +, - or @ (like a spreadsheet formula); in the CSV outputs it is written with a leading ' so that Excel never runs it."),
        /// control characters were removed from a cell
        ControlCharacters = ("control_characters", "Ký tự điều khiển", "Control characters",
            "Ô dữ liệu có ký tự điều khiển (NUL, ký tự thoát…) đã được bỏ khi chuẩn hóa.",
            "A cell held control characters (NUL, escapes…), removed in normalization."),
        /// a name longer than a name can be
        NameTooLong = ("name_too_long", "Họ tên quá dài", "Name too long",
            "Họ tên có quá nhiều chữ; chỉ giữ các chữ đầu để so sánh.",
            "A name of too many words; only its first words are compared."),
        /// decided fixed (in the book or the registry), yet the difference is still there
        FixNotSeen = ("fix_not_seen", "Đã báo sửa nhưng vẫn còn sai lệch", "Fix not seen",
            "Một quyết định trong kho quyết định ghi sai lệch này đã được sửa (trong sổ hoặc trong CSDL), nhưng lần đối soát này vẫn thấy khác biệt: kiểm tra lại việc sửa.",
            "A decision in the store says this difference was fixed (in the book or the registry), yet this run still finds it: check the fix."),
    }
}

vocabulary! {
    /// Who acts on a work item.
    pub enum Recipient {
        /// công chức tư pháp - hộ tịch xã
        Justice = ("tu-phap", "Công chức tư pháp - hộ tịch xã", "Commune justice officer",
            "Sửa dữ liệu số hóa theo sổ gốc; xác minh các trường hợp cần xem xét và đăng ký trùng.",
            "Fixes the digitized data against the book; checks review cases and duplicate registrations."),
        /// công an xã
        Police = ("cong-an", "Công an xã", "Commune police",
            "Cập nhật CSDL dân cư theo sổ hộ tịch: khai tử, kết hôn, ngày sinh, họ tên.",
            "Updates the population registry from the civil books: deaths, marriages, dates of birth, names."),
        /// công dân
        Citizen = ("cong-dan", "Công dân", "Citizen",
            "Làm thủ tục cải chính hộ tịch và xác lập lại số định danh cá nhân.",
            "Applies for a civil-status correction and the re-issue of the personal ID."),
    }
}

/// A set of [`Flag`]s as bits.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct Flags(u64);

impl Flag {
    /// The flag's bit.
    pub const fn bit(self) -> u64 {
        1 << self as u32
    }
}

impl Flags {
    /// No flag.
    pub const NONE: Flags = Flags(0);
    /// Add a flag.
    pub fn set(&mut self, f: Flag) {
        self.0 |= f.bit();
    }
    /// Take a flag off.
    pub fn unset(&mut self, f: Flag) {
        self.0 &= !f.bit();
    }
    /// True when the flag is set.
    pub fn has(self, f: Flag) -> bool {
        self.0 & f.bit() != 0
    }
    /// Both sets.
    pub fn union(self, o: Flags) -> Flags {
        Flags(self.0 | o.0)
    }
    /// The flags set, in report order.
    pub fn iter(self) -> impl Iterator<Item = Flag> {
        Flag::ALL.iter().copied().filter(move |f| self.has(*f))
    }
    /// True when no flag is set.
    pub fn is_empty(self) -> bool {
        self.0 == 0
    }
}

impl FromIterator<Flag> for Flags {
    fn from_iter<I: IntoIterator<Item = Flag>>(it: I) -> Self {
        let mut f = Flags::NONE;
        for x in it {
            f.set(x);
        }
        f
    }
}

/// Which criterion a flag counts against.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Criterion {
    /// sạch: standard and unique
    Clean,
    /// đủ: mandatory fields present
    Complete,
    /// for information only
    Info,
}

impl Flag {
    /// The criterion the flag counts against.
    pub fn criterion(self) -> Criterion {
        use Flag::*;
        match self {
            InvalidDate
            | ImpossibleDate
            | InvalidId
            | UnresolvedPlace
            | DuplicateBookKey
            | DuplicateEvent
            | NumberingContinued
            | RegistrationBeforeEvent
            | NoDiacritics
            | FormulaLikeValue
            | ControlCharacters
            | NameTooLong => Criterion::Clean,
            MissingMandatory | MissingBookNumber | MissingSigner | RegistryDobYearOnly => {
                Criterion::Complete
            }
            IdSexMismatch | IdBirthYearMismatch | IdProvinceMismatch | LegacyEncoding
            | TwoDigitYear | PresumedDead | FatherRecognised | FixNotSeen => Criterion::Info,
        }
    }

    /// Who acts on the flag: the justice officer fixes the digitized data, the police complete
    /// the registry; a flag for information goes to no work list.
    pub fn recipient(self) -> Option<Recipient> {
        match (self, self.criterion()) {
            (Flag::RegistryDobYearOnly, _) => Some(Recipient::Police),
            (_, Criterion::Info) => None,
            _ => Some(Recipient::Justice),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check<T: Term + std::fmt::Debug>() {
        let mut codes = std::collections::HashSet::new();
        for &x in T::all() {
            assert!(codes.insert(x.code()), "{x:?}: code used twice");
            assert_eq!(T::from_code(x.code()).map(|y| y.code()), Some(x.code()));
            for lang in [Lang::Vi, Lang::En] {
                assert!(!x.label(lang).is_empty(), "{x:?} has no label");
                assert!(!x.about(lang).is_empty(), "{x:?} has no glossary entry");
            }
            assert_ne!(x.label(Lang::Vi), x.code(), "{x:?}: the label is the code");
        }
    }

    #[test]
    fn every_code_has_labels_in_both_languages() {
        check::<Status>();
        check::<Field>();
        check::<FindingKind>();
        check::<Flag>();
        check::<Recipient>();
    }

    #[test]
    fn flags_round_trip() {
        let f: Flags = [Flag::InvalidId, Flag::PresumedDead].into_iter().collect();
        assert!(f.has(Flag::InvalidId) && !f.has(Flag::InvalidDate));
        assert_eq!(
            f.iter().collect::<Vec<_>>(),
            vec![Flag::InvalidId, Flag::PresumedDead]
        );
        assert!(Flag::ALL.len() <= 64);
    }
}
