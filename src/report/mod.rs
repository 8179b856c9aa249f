//! Report: the files for machines (links, findings, summary) and, later, for people.
pub mod links;
