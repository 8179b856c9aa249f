//! The glossary of both reports and of the README: every status, flag, finding and compared field,
//! and the terms of the outputs' columns, with their labels and what they mean.
use super::i18n::t;
use crate::vocab::{Field, FindingKind, Flag, Lang, Status, Term};

/// Terms of the outputs that are not codes of the vocabulary: (code, vi, en, about vi, about en).
const TERMS: &[(&str, &str, &str, &str, &str)] = &[
    (
        "id_reissue",
        "Phải cấp lại số định danh",
        "ID must be re-issued",
        "Số định danh cá nhân mã hóa giới tính, năm sinh và tỉnh đăng ký khai sinh: khi sổ hộ tịch khác CSDL ở các trường này và sổ đúng, số định danh phải được xác lập lại sau thủ tục cải chính (việc của công dân).",
        "The personal ID encodes sex, birth year and the province of birth registration: when the book differs from the registry on these and the book is right, the ID must be re-issued after a correction procedure (the citizen's step).",
    ),
    (
        "duplicate_group",
        "Nhóm đăng ký trùng",
        "Duplicate group",
        "Các bản ghi cùng đăng ký một sự kiện của cùng một người (ví dụ khai sinh hai lần ở hai xã): cùng một mã nhóm trong links.csv.",
        "Records that register the same event of the same person (a birth registered twice in two communes, say): they share a group id in links.csv.",
    ),
    (
        "match_probability",
        "Xác suất khớp",
        "Match probability",
        "Xác suất ứng viên tốt nhất là cùng một người, theo mô hình Fellegi–Sunter; so với hai ngưỡng (khớp, xem xét) trong quy tắc.",
        "The probability that the best candidate is the same person, from the Fellegi–Sunter model; compared with the two thresholds (match, review) of the rules.",
    ),
    (
        "candidates",
        "Ứng viên",
        "Candidates",
        "Với bản ghi cần xem xét: các công dân có thể là người trong sổ, kèm xác suất.",
        "For a record to review: the registry persons who may be the book's person, with their probabilities.",
    ),
    (
        "book_not_in_drop",
        "Sổ không có trong dữ liệu",
        "Book not in the drop",
        "Năm mà dữ liệu số hóa không có sổ khai sinh của xã (sổ mất, chưa số hóa, hoặc chưa gửi): công dân sinh năm đó không bị tính là thiếu khai sinh; xem coverage.csv.",
        "A year whose birth book of the commune is not in the digitized drop (lost, not digitized or not sent): persons born that year are not counted as missing a birth record; see coverage.csv.",
    ),
];

/// Every entry: (kind, code, label, meaning), in report order.
pub fn entries(lang: Lang) -> Vec<(&'static str, &'static str, &'static str, &'static str)> {
    fn of<T: Term>(
        kind: &'static str,
        lang: Lang,
    ) -> Vec<(&'static str, &'static str, &'static str, &'static str)> {
        T::all()
            .iter()
            .map(|x| (kind, x.code(), x.label(lang), x.about(lang)))
            .collect()
    }
    let mut v = of::<Status>(t(lang, "kind_status"), lang);
    v.extend(of::<Field>(t(lang, "kind_field"), lang));
    v.extend(of::<Flag>(t(lang, "kind_flag"), lang));
    v.extend(of::<FindingKind>(t(lang, "kind_finding"), lang));
    for (code, vi, en, avi, aen) in TERMS {
        v.push((
            t(lang, "kind_term"),
            code,
            lang.pick(vi, en),
            lang.pick(avi, aen),
        ));
    }
    v
}

/// The glossary as a Markdown table (the README's, from `doisoat glossary`).
pub fn markdown(lang: Lang) -> String {
    let mut s = format!(
        "| {} | {} | {} | {} |\n| --- | --- | --- | --- |\n",
        t(lang, "kind_term"),
        t(lang, "code"),
        t(lang, "label"),
        t(lang, "meaning")
    );
    for (kind, code, label, about) in entries(lang) {
        s.push_str(&format!(
            "| {kind} | `{code}` | {label} | {} |\n",
            about.replace('|', "\\|")
        ));
    }
    s
}
