//! The registry's persons from the rows of the population extract.
use super::civil::{Pending, date, ethnicity_of, id_of, sex_of};
use super::ids::PlaceId;
use super::parse_marital;
use super::record::{Facts, Person};
use crate::ingest::Table;
use crate::vocab::Flags;

/// The persons of rows `rows` of one extract table (`pi`), with their texts still to intern or
/// resolve (indexes from 0); `reg_places` are the final ids of those rows' birth-registration
/// places.
pub(super) fn read_table<'a>(
    t: &'a Table,
    pi: u32,
    rows: std::ops::Range<usize>,
    reg_places: &[Option<PlaceId>],
    pivot: u16,
) -> (Vec<Person>, Pending<'a>) {
    let mut out = Vec::with_capacity(rows.len());
    let mut pending = Pending::default();
    let start = rows.start;
    let c = |name: &str| t.col(name);
    let (cid, cname, cdob, csex, cbirth, ceth) = (
        c("so_dinh_danh"),
        c("ho_ten"),
        c("ngay_sinh"),
        c("gioi_tinh"),
        c("noi_sinh"),
        c("dan_toc"),
    );
    let (cfa, cmo, csp, cmar, cdeath, ccmnd) = (
        c("ho_ten_cha"),
        c("ho_ten_me"),
        c("ho_ten_vo_chong"),
        c("tinh_trang_hon_nhan"),
        c("ngay_chet"),
        c("so_cmnd"),
    );
    let (chome, corigin) = (c("noi_thuong_tru"), c("que_quan"));
    let get = |col: Option<usize>, r: usize| col.map_or("", |c| t.data[c].get(r));
    for r in rows {
        // a person's problems are not findings of the books: they are not kept
        let mut fl = Flags::NONE;
        let raw_id = get(cid, r);
        let (id, _) = id_of(raw_id, &mut fl);
        let (_, cmnd) = id_of(get(ccmnd, r), &mut fl);
        let person_id = match id {
            Some(i) => i.digits(),
            None if !raw_id.trim().is_empty() => raw_id.trim().to_string(),
            None => format!("{}:{}", t.source_file, t.source_rows[r]),
        };
        let pi_here = out.len();
        pending
            .names
            .extend([get(cname, r), get(cfa, r), get(cmo, r), get(csp, r)]);
        for (list, col) in [
            (&mut pending.births, cbirth),
            (&mut pending.residences, chome),
            (&mut pending.homes, corigin),
        ] {
            let text = get(col, r);
            if !text.trim().is_empty() {
                list.push((pi_here, text));
            }
        }
        out.push(Person {
            facts: Facts {
                sex: sex_of(get(csex, r)),
                dob: date(get(cdob, r), pivot, &mut fl),
                reg_place: reg_places[r - start],
                ethnicity: ethnicity_of(get(ceth, r)),
                id,
                cmnd,
                ..Facts::default()
            },
            person_id,
            death: date(get(cdeath, r), pivot, &mut fl),
            marital: parse_marital(get(cmar, r)),
            source: (pi, r as u32),
        });
    }
    (out, pending)
}
