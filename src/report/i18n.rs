//! Report labels in Vietnamese (default) and English: the words of the page and the work book
//! (the codes' labels are in [`crate::vocab`]).
pub use crate::vocab::Lang;

const LABELS: &[(&str, &str, &str)] = &[
    (
        "title",
        "Báo cáo đối soát dữ liệu hộ tịch với CSDL quốc gia về dân cư",
        "Reconciliation of civil-status records with the national population database",
    ),
    ("correct", "Đúng", "Correct"),
    ("complete", "Đủ", "Complete"),
    ("clean", "Sạch", "Clean"),
    ("live", "Sống", "Live"),
    (
        "correct_q",
        "Hai nguồn có khớp nhau? (khớp / đã liên kết)",
        "Do the two sources agree? (matched / linked)",
    ),
    (
        "complete_q",
        "Có đầy đủ? (tìm thấy trong CSDL dân cư / trong phạm vi)",
        "Is everything there? (found in the registry / in scope)",
    ),
    (
        "clean_q",
        "Chuẩn và không trùng? (bản ghi không có lỗi định dạng, trùng, địa danh)",
        "Standard and unique? (records without format, duplicate or place problems)",
    ),
    (
        "live_q",
        "Sự kiện đã cập nhật? (khai tử, kết hôn đã phản ánh trong CSDL)",
        "Are life events propagated? (deaths and marriages reflected in the registry)",
    ),
    (
        "mandatory",
        "Đủ trường bắt buộc",
        "Mandatory fields present",
    ),
    (
        "persons_birth",
        "Công dân có dữ liệu khai sinh",
        "Registry persons with a birth record",
    ),
    ("deaths", "Khai tử đã cập nhật", "Deaths propagated"),
    ("marriages", "Kết hôn đã cập nhật", "Marriages propagated"),
    ("commune", "Xã (mã cũ)", "Commune (legacy code)"),
    ("commune_name", "Tên xã", "Commune"),
    ("commune_2025", "Xã sau 1/7/2025", "Commune from 1/7/2025"),
    ("type", "Loại", "Type"),
    ("year", "Năm đăng ký", "Registration year"),
    ("subjects", "Số người trong bản ghi", "Subjects"),
    ("matched", "Khớp", "Matched"),
    ("conflict", "Sai lệch", "Conflict"),
    ("review", "Cần xem xét", "Review"),
    ("missing", "Không tìm thấy", "Missing"),
    ("out_of_scope", "Ngoài phạm vi", "Out of scope"),
    ("no_records", "không có bản ghi", "no records"),
    ("field", "Trường", "Field"),
    ("count", "Số lượng", "Count"),
    ("flag", "Cờ", "Flag"),
    ("finding", "Phát hiện", "Finding"),
    ("summary", "Tổng hợp", "Summary"),
    ("by_commune", "Theo xã", "By commune"),
    ("by_type", "Theo loại", "By type"),
    ("by_year", "Theo năm", "By year"),
    ("conflicts", "Sai lệch theo trường", "Conflicts by field"),
    ("flags", "Cờ dữ liệu", "Flags"),
    ("findings", "Phát hiện dân cư", "Population findings"),
    ("provenance", "Nguồn dữ liệu", "Provenance"),
    (
        "histogram",
        "Phân bố xác suất khớp",
        "Match-probability histogram",
    ),
    (
        "trend",
        "Xu hướng theo năm đăng ký",
        "Trend by registration year",
    ),
    (
        "statuses_by_type",
        "Trạng thái theo loại sổ",
        "Statuses by record type",
    ),
    ("rates_by_commune", "Tỷ lệ theo xã", "Rates by commune"),
    ("model", "Ghép cặp và mô hình", "Blocking and model"),
    ("worklists", "Danh sách việc cần làm", "Work lists"),
    ("file", "Tệp", "File"),
    ("row", "Dòng", "Row"),
    ("record_key", "record_key", "record_key"),
    ("decision_col", "Quyết định", "Decision"),
    ("decisions", "Quyết định đã áp dụng", "Decisions applied"),
    (
        "decisions_in_store",
        "Quyết định trong kho",
        "Decisions in the store",
    ),
    (
        "decisions_applied",
        "Đã áp dụng trong lần chạy này",
        "Applied to this run",
    ),
    (
        "decisions_not_applied",
        "Không áp dụng được (bản ghi hoặc công dân không còn)",
        "Could not be applied (the record or the person is gone)",
    ),
    (
        "subjects_decided",
        "Bản ghi theo quyết định",
        "Records by decision",
    ),
    ("decision_not_applied", "Không áp dụng được", "Not applied"),
    ("note_col", "Ghi chú", "Note"),
    (
        "decision_help",
        "Chọn quyết định (Cùng một người: ghi số định danh của người đó vào cột Số định danh); nhập bằng: doisoat decisions import report.xlsx --decisions DB",
        "Pick a decision (Same person: put that person's ID in the Personal ID column); take it in with: doisoat decisions import report.xlsx --decisions DB",
    ),
    ("book", "Quyển số", "Book"),
    ("number", "Số", "Number"),
    ("date", "Ngày đăng ký", "Registration date"),
    ("person", "Số định danh", "Personal ID"),
    ("issue", "Vấn đề", "Issue"),
    ("civil_value", "Giá trị trong sổ", "Book value"),
    ("registry_value", "Giá trị trong CSDL", "Registry value"),
    ("action", "Việc cần làm", "Action"),
    ("role", "Vai trò", "Role"),
    (
        "id_reissue",
        "Phải cấp lại số định danh",
        "ID must be re-issued",
    ),
    ("rate", "Tỷ lệ", "Rate"),
    ("numerator", "Tử số", "Numerator"),
    ("denominator", "Mẫu số", "Denominator"),
    (
        "act_fix_record",
        "Đối chiếu bản ghi số hóa với sổ gốc và sửa dữ liệu số hóa",
        "Check the digitized record against the book and fix it",
    ),
    (
        "act_review",
        "Xác minh trong sổ gốc để chọn đúng công dân trong các ứng viên",
        "Check the book to choose the right person among the candidates",
    ),
    (
        "act_missing",
        "Kiểm tra bản ghi số hóa; nếu đúng, đề nghị công an xã bổ sung công dân vào CSDL",
        "Check the digitized record; if it is right, ask the police to add the person",
    ),
    (
        "act_update_registry",
        "Cập nhật CSDL dân cư theo sổ hộ tịch (nguồn pháp lý), sau khi xác minh",
        "Update the registry from the civil book (the legal source), after checking",
    ),
    (
        "act_reissue",
        "Hướng dẫn công dân làm thủ tục cải chính và xác lập lại số định danh",
        "Guide the citizen through a correction and the re-issue of the personal ID",
    ),
    (
        "act_record_death",
        "Cập nhật ngày chết vào CSDL dân cư",
        "Record the death in the registry",
    ),
    (
        "act_record_marriage",
        "Cập nhật tình trạng hôn nhân vào CSDL dân cư",
        "Record the marriage in the registry",
    ),
    (
        "act_complete_dob",
        "Bổ sung ngày, tháng sinh vào CSDL dân cư theo sổ hộ tịch",
        "Complete the day and month of birth in the registry from the civil book",
    ),
    (
        "act_no_diacritics",
        "Nhập lại họ tên có dấu theo sổ gốc (gợi ý: họ tên trong CSDL)",
        "Re-type the name with its diacritics from the book (suggested: the registry's name)",
    ),
    (
        "act_duplicate_id",
        "Rà soát các dòng trùng số định danh trong CSDL dân cư và giữ một công dân cho mỗi số",
        "Check the registry rows that share a personal ID and keep one person per ID",
    ),
    (
        "act_no_birth",
        "Tìm bản ghi khai sinh trong sổ gốc; nếu không có, hướng dẫn đăng ký lại khai sinh",
        "Look for the birth in the books; if there is none, guide a re-registration",
    ),
    ("role_nks", "Người được khai sinh", "Child registered"),
    ("role_nkt", "Người chết", "Deceased"),
    ("role_chong", "Chồng", "Husband"),
    ("role_vo", "Vợ", "Wife"),
    ("role_cm", "Cha/mẹ nhận con", "Recognising parent"),
    ("role_nc", "Con được nhận", "Recognised child"),
    ("role_nxn", "Người được xác nhận", "Person certified"),
    ("comparison", "Phép so sánh", "Comparison"),
    ("population", "Trích xuất CSDL dân cư", "Registry extract"),
    ("civil_books", "Sổ hộ tịch", "Civil books"),
    ("persons", "Công dân trong trích xuất", "Registry persons"),
    ("civil_records", "Bản ghi hộ tịch", "Civil records"),
    (
        "coverage_sheet",
        "Sổ theo xã và năm",
        "Books by commune and year",
    ),
    ("level", "Mức", "Level"),
    (
        "data_flags",
        "Lỗi dữ liệu số hóa",
        "Digitized-data problems",
    ),
    ("name", "Họ tên (theo sổ)", "Name (book)"),
    ("dob", "Ngày sinh (theo sổ)", "Date of birth (book)"),
    (
        "registry_name",
        "Họ tên trong CSDL (nếu khác)",
        "Registry name (if different)",
    ),
    (
        "registry_dob",
        "Ngày sinh trong CSDL (nếu khác)",
        "Registry date of birth (if different)",
    ),
    ("district", "Huyện", "District"),
    ("glossary", "Giải thích", "Glossary"),
    ("code", "Mã", "Code"),
    ("meaning", "Ý nghĩa", "Meaning"),
    ("label", "Tên", "Label"),
    ("kind_status", "Trạng thái", "Status"),
    ("kind_flag", "Cờ dữ liệu", "Flag"),
    ("kind_finding", "Phát hiện dân cư", "Population finding"),
    ("kind_field", "Trường so sánh", "Compared field"),
    ("kind_term", "Thuật ngữ", "Term"),
    (
        "coverage",
        "Sổ có trong dữ liệu, theo xã và năm",
        "Books in the drop, by commune and year",
    ),
    (
        "coverage_note",
        "Mỗi ô: số bản ghi khai sinh của xã trong năm; ô đỏ: năm không có sổ trong dữ liệu (không tính là thiếu khai sinh).",
        "Each cell: the commune's birth records that year; red: a year whose book is not in the drop (not counted as missing births).",
    ),
    ("records", "Bản ghi", "Records"),
    ("in_drop", "Có sổ", "Book in the drop"),
    (
        "births_not_in_drop",
        "Công dân có khai sinh ở sổ không có trong dữ liệu",
        "Registry persons whose birth book is not in the drop",
    ),
    ("yes", "có", "yes"),
    ("no", "không", "no"),
    (
        "worst_first",
        "Các xã cần hỗ trợ trước (tỷ lệ “đủ” thấp nhất)",
        "Communes needing help first (lowest “complete” rate)",
    ),
    (
        "sort_hint",
        "Bấm vào tiêu đề cột để sắp xếp.",
        "Click a column header to sort.",
    ),
    ("probability", "Xác suất khớp", "Match probability"),
    (
        "subjects_log",
        "Số người (thang log)",
        "Subjects (log scale)",
    ),
    ("match_threshold", "ngưỡng khớp", "match threshold"),
    ("review_threshold", "ngưỡng xem xét", "review threshold"),
    ("this_commune", "Xã này", "This commune"),
    ("province", "Toàn tỉnh", "Province"),
    (
        "act_update_field",
        "Cập nhật {field} trong CSDL dân cư theo sổ hộ tịch (sau khi xác minh): {civil}",
        "Update the {field} in the registry from the civil book (after checking): {civil}",
    ),
    (
        "act_reissue_field",
        "Hướng dẫn công dân cải chính {field} và xác lập lại số định danh (sổ: {civil}; CSDL: {registry})",
        "Guide the citizen through a correction of the {field} and the re-issue of the ID (book: {civil}; registry: {registry})",
    ),
    (
        "act_fix_flags",
        "Đối chiếu với sổ gốc và sửa trong dữ liệu số hóa: {flags}",
        "Check against the book and fix the digitized record: {flags}",
    ),
    (
        "act_no_diacritics_name",
        "Sửa tên trong dữ liệu số hóa theo sổ, gõ đủ dấu (gợi ý theo CSDL: {registry})",
        "Fix the name in the digitized data from the book, with its diacritics (the registry has: {registry})",
    ),
    (
        "act_complete_dob_value",
        "Bổ sung ngày, tháng sinh vào CSDL dân cư theo sổ hộ tịch: {civil}",
        "Complete the day and month of birth in the registry from the civil book: {civil}",
    ),
    (
        "act_review_candidates",
        "Xác minh trong sổ gốc để chọn đúng công dân trong các ứng viên: {registry}",
        "Check the book to choose the right person among the candidates: {registry}",
    ),
    (
        "act_record_death_book",
        "Cập nhật ngày chết vào CSDL dân cư theo sổ khai tử (quyển {book}, số {number}, ngày {date})",
        "Record the death in the registry from the death book (book {book}, number {number}, {date})",
    ),
    (
        "act_record_marriage_book",
        "Cập nhật tình trạng hôn nhân vào CSDL dân cư theo sổ kết hôn (quyển {book}, số {number}, ngày {date})",
        "Record the marriage in the registry from the marriage book (book {book}, number {number}, {date})",
    ),
    ("version", "Phiên bản", "Version"),
    ("rules_digest", "Mã quy tắc", "Rules digest"),
    ("baseline", "Mốc CSDL dân cư", "Registry baseline"),
    ("pairs", "Cặp ứng viên", "Candidate pairs"),
    ("rule", "Quy tắc", "Rule"),
    ("split", "Khối đã chia nhỏ", "Blocks split"),
    ("lambda", "Xác suất tiên nghiệm λ", "Prior λ"),
    ("total", "Tổng", "Total"),
    (
        "first_rows",
        "dòng đầu; đầy đủ trong report.xlsx",
        "first rows; all of them in report.xlsx",
    ),
];

/// A label in a language (the key itself if unknown).
pub fn t(lang: Lang, key: &str) -> &'static str {
    LABELS
        .iter()
        .find(|(k, ..)| *k == key)
        .map_or("?", |(_, vi, en)| if lang == Lang::Vi { vi } else { en })
}

/// The label of a status code.
pub fn status(lang: Lang, code: &str) -> &'static str {
    t(lang, code)
}

/// What to do about a work-list item, in words, with the values it is about.
pub fn action(lang: Lang, it: &super::worklists::WorkItem) -> String {
    use super::worklists::Issue;
    fill(t(lang, action_key(it)), |name, out| match name {
        "field" => {
            if let Issue::Conflict(f) = it.issue {
                out.push_str(&f.label(lang).to_lowercase());
            }
            true
        }
        "flags" => {
            out.push_str(&it.issue_label(lang));
            true
        }
        "civil" => or_dash(out, &it.civil),
        "registry" => or_dash(out, &it.registry),
        "book" => or_dash(out, &it.book),
        "number" => or_dash(out, &it.number),
        "date" => or_dash(out, &it.reg_date),
        _ => false,
    })
}

/// The label key of a work-list item's action.
fn action_key(it: &super::worklists::WorkItem) -> &'static str {
    use super::worklists::{Issue, Recipient};
    use crate::vocab::FindingKind;
    match it.issue {
        Issue::Conflict(_) if it.recipient == Recipient::Citizen => "act_reissue_field",
        Issue::Conflict(_) => "act_update_field",
        Issue::Flags => "act_fix_flags",
        Issue::NoDiacritics => "act_no_diacritics_name",
        Issue::RegistryDobYearOnly => "act_complete_dob_value",
        Issue::Review => "act_review_candidates",
        Issue::Missing => "act_missing",
        Issue::Finding(FindingKind::DeathNotRecorded) => "act_record_death_book",
        Issue::Finding(FindingKind::MarriageNotRecorded) => "act_record_marriage_book",
        Issue::Finding(FindingKind::DuplicateId) => "act_duplicate_id",
        Issue::Finding(FindingKind::NoBirthRecord) => "act_no_birth",
    }
}

/// A value, or a dash for an empty one.
fn or_dash(out: &mut String, s: &str) -> bool {
    out.push_str(if s.is_empty() { "—" } else { s });
    true
}

/// A template with each `{name}` filled by `value(name, out)` (false: no such placeholder, and it
/// is kept as written), in one pass: a value is never read as a template (a book's cell that
/// holds `{registry}` stays as written), and nothing is made for a placeholder the template lacks.
fn fill(template: &str, mut value: impl FnMut(&str, &mut String) -> bool) -> String {
    let mut out = String::with_capacity(template.len() + 64);
    let mut rest = template;
    while let Some(i) = rest.find('{') {
        out.push_str(&rest[..i]);
        let after = &rest[i..];
        let Some(j) = after.find('}') else {
            rest = after;
            break;
        };
        if !value(&after[1..j], &mut out) {
            out.push_str(&after[..=j]);
        }
        rest = &after[j + 1..];
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The actions as they were written before the one-pass fill: each placeholder replaced in
    /// turn over the whole text.
    fn action_by_replace(lang: Lang, it: &crate::report::worklists::WorkItem) -> String {
        use crate::report::worklists::Issue;
        let field = match it.issue {
            Issue::Conflict(f) => f.label(lang).to_lowercase(),
            _ => String::new(),
        };
        let or_dash = |s: &str| {
            if s.is_empty() {
                "—".to_string()
            } else {
                s.to_string()
            }
        };
        t(lang, action_key(it))
            .replace("{field}", &field)
            .replace("{civil}", &or_dash(&it.civil))
            .replace("{registry}", &or_dash(&it.registry))
            .replace("{flags}", &it.issue_label(lang))
            .replace("{book}", &or_dash(&it.book))
            .replace("{number}", &or_dash(&it.number))
            .replace("{date}", &or_dash(&it.reg_date))
    }

    /// The one-pass fill gives what replacing each placeholder in turn gave, for every issue,
    /// recipient and language, with values empty and not; and a value that looks like a
    /// placeholder is no longer filled in.
    #[test]
    fn actions_are_filled_as_by_replacing_each_placeholder() {
        use crate::report::worklists::{Issue, WorkItem};
        use crate::vocab::{Field, FindingKind, Flag, Recipient};
        let mut issues = vec![
            Issue::Flags,
            Issue::NoDiacritics,
            Issue::RegistryDobYearOnly,
            Issue::Review,
            Issue::Missing,
        ];
        issues.extend(Field::ALL.iter().map(|&f| Issue::Conflict(f)));
        issues.extend(FindingKind::ALL.iter().map(|&k| Issue::Finding(k)));
        let item = |issue, recipient, v: &str| WorkItem {
            recipient,
            commune: String::new(),
            commune_2025: String::new(),
            source_file: String::new(),
            source_row: String::new(),
            book: format!("{v}01"),
            number: format!("{v}12/2001"),
            reg_date: v.to_string(),
            record_type: String::new(),
            role: String::new(),
            person_id: String::new(),
            name: String::new(),
            dob: String::new(),
            registry_name: String::new(),
            registry_dob: String::new(),
            issue,
            flags: Flag::ALL.iter().copied().take(3).collect(),
            civil: format!("{v}Nguyễn Văn An"),
            registry: format!("{v}Lê Thu Hà"),
            action: String::new(),
            record_key: String::new(),
        };
        let mut n = 0;
        for &issue in &issues {
            for &recipient in Recipient::ALL {
                for lang in [Lang::Vi, Lang::En] {
                    for v in ["", "x ", "2001-03-04"] {
                        let it = item(issue, recipient, v);
                        assert_eq!(action(lang, &it), action_by_replace(lang, &it), "{issue:?}");
                        n += 1;
                    }
                }
            }
        }
        assert!(n > 100);
        let mut it = item(Issue::Conflict(Field::Name), Recipient::Citizen, "");
        it.civil = "Lê {registry} Hà".into();
        it.registry = "Lê Thu Hà".into();
        let a = action(Lang::En, &it);
        assert!(
            a.contains("book: Lê {registry} Hà; registry: Lê Thu Hà"),
            "{a}"
        );
        assert_eq!(fill("a {b", |_, _| true), "a {b");
        assert_eq!(
            fill("{x} {y}", |n, o| n == "x" && {
                o.push('1');
                true
            }),
            "1 {y}"
        );
    }

    /// Every label key the report code names, found in its source: a key without a label in
    /// both languages would show as "?" on a page.
    #[test]
    fn every_key_the_reports_use_has_both_labels() {
        let sources = [
            include_str!("html/mod.rs"),
            include_str!("html/sections.rs"),
            include_str!("html/charts.rs"),
            include_str!("xlsx/mod.rs"),
            include_str!("xlsx/sheets.rs"),
            include_str!("xlsx/lists.rs"),
            include_str!("worklists.rs"),
            include_str!("glossary.rs"),
            include_str!("labels.rs"),
            include_str!("communes.rs"),
            include_str!("decided.rs"),
            include_str!("i18n.rs"),
        ];
        let mut keys = Vec::new();
        for src in sources {
            for pat in ["t(lang, \"", "t(self.lang, \"", "=> \"act_"] {
                for (i, _) in src.match_indices(pat) {
                    let rest = &src[i + pat.len()..];
                    let key: String = rest.chars().take_while(|c| *c != '"').collect();
                    let key = if pat.ends_with("act_") {
                        format!("act_{key}")
                    } else {
                        key
                    };
                    keys.push(key);
                }
            }
        }
        assert!(keys.len() > 40, "{} keys found", keys.len());
        for k in keys.iter().chain(
            crate::report::xlsx::COLUMN_KEYS
                .iter()
                .map(|s| s.to_string())
                .collect::<Vec<_>>()
                .iter(),
        ) {
            for lang in [Lang::Vi, Lang::En] {
                let v = t(lang, k);
                assert!(v != "?" && !v.is_empty(), "{k} has no {lang:?} label");
            }
        }
        for lang in [Lang::Vi, Lang::En] {
            for role in crate::subjects::Role::ALL {
                assert_ne!(t(lang, &format!("role_{}", role.code())), "?", "{role:?}");
            }
        }
    }
}
