//! `doisoat review`: a local page to decide a run's cases one per screen. It binds 127.0.0.1
//! only, answers only requests that carry its random token (and name it as their host), loads
//! nothing from outside, and writes each decision to the store at once.
pub mod cases;
pub mod http;

use crate::decisions::{Decision, Kind, Store};
use crate::error::{Error, Result};
use crate::explain::{Explainer, LoadedRun};
use crate::vocab::Lang;
use http::{Request, Response};
use serde_json::{Value, json};
use std::net::{TcpListener, TcpStream};
use std::path::PathBuf;
use std::sync::mpsc;

/// The page: markup, style and script in one file, nothing fetched from elsewhere.
const PAGE: &str = include_str!("page.html");

/// What `review` is given.
pub struct Options {
    /// the run folder
    pub dir: PathBuf,
    /// the decisions store
    pub decisions: PathBuf,
    /// the port (0: any free one)
    pub port: u16,
    /// open the browser
    pub open: bool,
    /// the page's language
    pub lang: Lang,
    /// who decides
    pub by: String,
}

/// A token no other program on the machine can guess: 128 bits from the OS's hash keys, which
/// std draws from its random source.
pub fn token() -> String {
    use std::hash::{BuildHasher, Hasher};
    let mut out = String::new();
    for i in 0..2u64 {
        let mut h = std::collections::hash_map::RandomState::new().build_hasher();
        h.write_u64(i);
        h.write_u128(
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0, |d| d.as_nanos()),
        );
        out.push_str(&format!("{:016x}", h.finish()));
    }
    out
}

/// Everything a request needs.
struct Server<'a> {
    run: &'a LoadedRun,
    x: Explainer<'a>,
    queue: Vec<cases::Case>,
    store: Store,
    token: String,
    port: u16,
    lang: Lang,
    by: String,
}

/// Open the browser on the page, where the desktop has a way to.
fn open_browser(url: &str) {
    let tries: &[(&str, &[&str])] = if cfg!(target_os = "windows") {
        &[("cmd", &["/C", "start", ""])]
    } else if cfg!(target_os = "macos") {
        &[("open", &[])]
    } else {
        &[("xdg-open", &[])]
    };
    for (cmd, args) in tries {
        let spawned = std::process::Command::new(cmd)
            .args(*args)
            .arg(url)
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn();
        if spawned.is_ok() {
            return;
        }
    }
    eprintln!("[doisoat] no browser could be opened: open the address above");
}

/// Serve the review page until the process is stopped.
pub fn serve(o: Options) -> Result<()> {
    if !o.decisions.exists() {
        eprintln!(
            "[doisoat] {} does not exist: a new decisions store is created",
            o.decisions.display()
        );
    }
    let store = Store::open(&o.decisions)?;
    let run = LoadedRun::load(&o.dir)?;
    let stages = run.stages();
    let listener = TcpListener::bind(("127.0.0.1", o.port)).map_err(|e| {
        Error::Invalid(format!(
            "cannot listen on 127.0.0.1:{}: {e} (give another --port)",
            o.port
        ))
    })?;
    let port = listener.local_addr().map(|a| a.port()).unwrap_or(o.port);
    let mut s = Server {
        run: &run,
        x: stages.explainer(),
        queue: cases::queue(&run),
        store,
        token: token(),
        port,
        lang: o.lang,
        by: o.by,
    };
    let url = format!("http://127.0.0.1:{port}/?token={}", s.token);
    println!("{url}");
    eprintln!(
        "[doisoat] review: {} cases of {}; decisions go to {}; stop with Ctrl-C",
        s.queue.len(),
        o.dir.display(),
        o.decisions.display()
    );
    if o.open {
        open_browser(&url);
    }
    // each connection read on its own thread; the requests answered here, one at a time
    let (tx, rx) = mpsc::channel::<(TcpStream, Request)>();
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let tx = tx.clone();
            std::thread::spawn(move || {
                if let Some(req) = http::read(&stream) {
                    let _ = tx.send((stream, req));
                }
            });
        }
    });
    for (stream, req) in rx {
        let resp = s.answer(&req);
        http::write(&stream, &resp);
    }
    Ok(())
}

impl Server<'_> {
    fn answer(&mut self, req: &Request) -> Response {
        let hosts = [
            format!("127.0.0.1:{}", self.port),
            format!("localhost:{}", self.port),
        ];
        if !hosts.contains(&req.host) {
            return Response::error("403 Forbidden", "wrong host");
        }
        let given = req.query.get("token").map_or("", String::as_str);
        if !same(given, &self.token) {
            return Response::error(
                "403 Forbidden",
                "this page needs its token: open the address doisoat review printed",
            );
        }
        let q = |k: &str| req.query.get(k).cloned().unwrap_or_default();
        match (req.method.as_str(), req.path.as_str()) {
            ("GET", "/") => Response {
                status: "200 OK",
                content_type: "text/html; charset=utf-8",
                body: self.page().into_bytes(),
            },
            ("GET", "/api/queue") => {
                let f = cases::Filter {
                    commune: q("commune"),
                    record_type: q("type"),
                    status: q("status"),
                    field: q("field"),
                };
                Response::json(&cases::listing(self.run, &self.queue, &f, self.lang))
            }
            ("GET", "/api/case") => {
                let id: usize = q("id").parse().unwrap_or(usize::MAX);
                match cases::case(self.run, &self.x, &self.queue, id, self.lang) {
                    Some(mut v) => {
                        v["decided"] = self.decided(id);
                        Response::json(&v)
                    }
                    None => Response::error("404 Not Found", "no such case"),
                }
            }
            ("POST", "/api/decide") => match self.decide(&req.body) {
                Ok(v) => Response::json(&v),
                Err(why) => Response::error("400 Bad Request", &why),
            },
            _ => Response::error("404 Not Found", "not found"),
        }
    }

    /// The page, in the server's language, with the decisions' labels and keys.
    fn page(&self) -> String {
        let ds: Vec<Value> = Kind::ALL
            .iter()
            .map(|k| json!([k.code(), k.key().to_string(), k.label(self.lang)]))
            .collect();
        PAGE.replace("__LANG__", self.lang.pick("vi", "en"))
            .replace("__DECISIONS__", &Value::Array(ds).to_string())
    }

    /// The decisions in force about a case's record.
    fn decided(&self, id: usize) -> Value {
        let key = &self.run.links[self.queue[id].link].record_key;
        let ds = self.store.latest_for(key).unwrap_or_default();
        Value::Array(
            ds.iter()
                .map(|d| {
                    json!({
                        "person_id": d.person_id,
                        "decision": d.kind.code(),
                        "label": d.kind.label(self.lang),
                        "by": d.by,
                        "at": d.at,
                        "note": d.note,
                    })
                })
                .collect(),
        )
    }

    /// Take a decision (`{"id", "person_id", "decision", "note"}`) into the store.
    fn decide(&mut self, body: &[u8]) -> std::result::Result<Value, String> {
        let v: Value = serde_json::from_slice(body).map_err(|e| e.to_string())?;
        let id = v["id"].as_u64().ok_or("no case id")? as usize;
        let c = self.queue.get(id).ok_or("no such case")?;
        let kind =
            Kind::from_code(v["decision"].as_str().unwrap_or("")).ok_or("unknown decision")?;
        let person = v["person_id"].as_str().unwrap_or("").to_string();
        if person.is_empty() && kind.needs_person() {
            return Err(format!("{} needs a person", kind.code()));
        }
        let r = &self.run.links[c.link];
        if kind == Kind::CancelRecord && r.duplicate_group.is_empty() {
            return Err(
                "cancel_record is for a duplicate registration; this record has none".to_string(),
            );
        }
        let d = Decision {
            record_key: r.record_key.clone(),
            // cancel_record is about the record alone
            person_id: if kind.needs_person() {
                person
            } else {
                String::new()
            },
            kind,
            by: self.by.clone(),
            note: v["note"].as_str().unwrap_or("").to_string(),
            at: crate::decisions::now(),
            run: self.run.summary.run.id.clone(),
        };
        self.store
            .add(std::slice::from_ref(&d))
            .map_err(|e| e.to_string())?;
        Ok(json!({"saved": true, "decided": self.decided(id)}))
    }
}

/// Equal strings, compared in time that does not depend on where they differ.
fn same(a: &str, b: &str) -> bool {
    a.len() == b.len()
        && a.bytes()
            .zip(b.bytes())
            .fold(0u8, |acc, (x, y)| acc | (x ^ y))
            == 0
}
