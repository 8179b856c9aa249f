//! Places: the administrative-unit gazetteer of both vintages, parsing and resolution.
mod choose;
pub mod compare;
pub mod data;
pub mod parse;
pub mod resolve;

pub use compare::{PlaceLevel, compare};
pub use data::{GAZETTEER, Gazetteer};
pub use resolve::{Context, PlaceIssue, PlaceRef};

use rustc_hash::FxHashMap as HashMap;
use std::sync::Mutex;

/// A resolver over the embedded gazetteer plus a user's aliases, with a cache (real files repeat
/// the same few hundred places).
pub struct Places {
    gazetteer: Option<Box<Gazetteer>>,
    cache: Mutex<HashMap<(String, u8, u16, bool), PlaceRef>>,
}

impl Default for Places {
    fn default() -> Self {
        Places::new()
    }
}

impl Places {
    /// The embedded gazetteer, no user aliases.
    pub fn new() -> Self {
        Places {
            gazetteer: None,
            cache: Mutex::new(HashMap::default()),
        }
    }

    /// With user aliases (old name → legacy commune code). Returns the aliases whose code is unknown.
    pub fn with_aliases(aliases: &[(String, u32)]) -> (Self, Vec<String>) {
        if aliases.is_empty() {
            return (Places::new(), Vec::new());
        }
        let mut g = Box::new(GAZETTEER.clone());
        let mut bad = Vec::new();
        for (name, code) in aliases {
            if !g.add_alias(name, *code) {
                bad.push(format!(
                    "place alias \"{name}\" points to unknown commune code {code:05}"
                ));
            }
        }
        (
            Places {
                gazetteer: Some(g),
                cache: Mutex::new(HashMap::default()),
            },
            bad,
        )
    }

    /// The gazetteer in use.
    pub fn gazetteer(&self) -> &Gazetteer {
        self.gazetteer.as_deref().unwrap_or(&GAZETTEER)
    }

    /// Resolve a place (cached by text, context province and prior district).
    pub fn resolve(&self, text: &str, ctx: Context) -> PlaceRef {
        let k = (
            text.to_string(),
            ctx.province.unwrap_or(0),
            ctx.prior.and_then(|p| p.district).unwrap_or(0),
            ctx.new_era,
        );
        if let Some(r) = self.cache.lock().ok().and_then(|c| c.get(&k).cloned()) {
            return r;
        }
        let r = resolve::resolve(self.gazetteer(), text, ctx);
        if let Ok(mut c) = self.cache.lock() {
            if c.len() > 1 << 20 {
                c.clear();
            }
            c.insert(k, r.clone());
        }
        r
    }

    /// Compare two resolved places.
    pub fn compare(&self, a: &PlaceRef, b: &PlaceRef) -> PlaceLevel {
        compare(self.gazetteer(), a, b)
    }
}
