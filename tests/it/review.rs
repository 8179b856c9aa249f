//! The review page driven in a real browser (Debian's chromium through chromedriver, with the
//! fantoccini WebDriver client): open a case, decide it with a key press, find the decision in the
//! store, and see the next run honour it. Requests without the token, or naming another host, are
//! refused. Skipped, with the reason printed, only where no browser is installed.
use crate::support::{Row, fixtures, reconcile_cli, temp_dir};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// A child process killed when the test is done with it.
struct Killed(Child);

impl Drop for Killed {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn get(port: u16, path: &str, host: &str) -> String {
    let mut s = TcpStream::connect(("127.0.0.1", port)).unwrap();
    write!(
        s,
        "GET {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut out = String::new();
    s.read_to_string(&mut out).unwrap();
    out
}

fn which(names: &[&str]) -> Option<String> {
    names.iter().find_map(|n| {
        let out = Command::new("sh")
            .args(["-c", &format!("command -v {n}")])
            .output()
            .ok()?;
        let p = String::from_utf8_lossy(&out.stdout).trim().to_string();
        (!p.is_empty()).then_some(p)
    })
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

fn reconcile(case: &Path, out: &Path, extra: &[&str]) -> Vec<Row> {
    let mut a = vec!["--quiet"];
    a.extend(extra);
    let civil = case.join("civil");
    reconcile_cli(&civil, &case.join("population.csv"), out, &a).0
}

#[test]
fn a_case_decided_in_the_browser_is_stored_and_honoured() {
    let case = fixtures().join("reconcile/province_mix");
    let dir = temp_dir("review");
    let before = reconcile(&case, &dir.join("run"), &[]);
    let db = dir.join("decisions.sqlite");
    let mut server = Killed(
        Command::new(env!("CARGO_BIN_EXE_doisoat"))
            .args(["review", dir.join("run").to_str().unwrap(), "--decisions"])
            .arg(&db)
            .args(["--no-open", "--by", "kiểm thử"])
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap(),
    );
    let mut url = String::new();
    BufReader::new(server.0.stdout.take().unwrap())
        .read_line(&mut url)
        .unwrap();
    let url = url.trim().to_string();
    assert!(
        url.starts_with("http://127.0.0.1:") && url.contains("/?token="),
        "{url}"
    );
    let port: u16 = url["http://127.0.0.1:".len()..]
        .split('/')
        .next()
        .unwrap()
        .parse()
        .unwrap();
    let host = format!("127.0.0.1:{port}");
    let token = url.split("token=").nth(1).unwrap();
    assert!(token.len() >= 32, "{token}");
    // without the token, with a wrong one, or for another host: refused
    assert!(get(port, "/", &host).starts_with("HTTP/1.1 403"));
    assert!(get(port, "/api/queue?token=0", &host).starts_with("HTTP/1.1 403"));
    let q = format!("/api/queue?token={token}");
    assert!(get(port, &q, "evil.example:80").starts_with("HTTP/1.1 403"));
    assert!(get(port, &q, &host).starts_with("HTTP/1.1 200"));

    let (Some(driver), Some(chromium)) = (
        which(&["chromedriver"]),
        which(&["chromium", "chromium-browser"]),
    ) else {
        eprintln!(
            "SKIPPED: no chromium/chromedriver installed (apt-get install chromium chromium-driver); the page was not driven"
        );
        return;
    };
    let dport = free_port();
    let _driver = Killed(
        Command::new(driver)
            .arg(format!("--port={dport}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap(),
    );
    let t = Instant::now();
    while TcpStream::connect(("127.0.0.1", dport)).is_err() {
        assert!(
            t.elapsed() < Duration::from_secs(20),
            "chromedriver did not start"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
    let profile = dir.join("chromium-profile");
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let (key, person) = rt.block_on(async {
        use fantoccini::{ClientBuilder, Locator};
        let mut caps = serde_json::Map::new();
        caps.insert(
            "goog:chromeOptions".to_string(),
            serde_json::json!({
                "binary": chromium,
                "args": ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                         "--no-first-run", "--disable-background-networking",
                         "--disable-component-update", "--disable-sync",
                         format!("--user-data-dir={}", profile.display())],
            }),
        );
        let c = ClientBuilder::rustls()
            .expect("rustls")
            .capabilities(caps)
            .connect(&format!("http://127.0.0.1:{dport}"))
            .await
            .expect("a WebDriver session");
        c.goto(&url).await.unwrap();
        c.wait()
            .at_most(Duration::from_secs(20))
            .for_element(Locator::Id("case-title"))
            .await
            .unwrap();
        let html = c.source().await.unwrap();
        assert!(
            html.contains("Ứng viên trong CSDL dân cư"),
            "Vietnamese by default"
        );
        let key = c
            .find(Locator::Id("record-key"))
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        let person = c
            .find(Locator::Css("#candidates tr.sel td:nth-child(2)"))
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        // decide with a key press: n, not the same person
        c.find(Locator::Css("body"))
            .await
            .unwrap()
            .send_keys("n")
            .await
            .unwrap();
        c.wait()
            .at_most(Duration::from_secs(10))
            .for_element(Locator::Css("#saved[data-saved='not_same_person']"))
            .await
            .unwrap();
        c.close().await.unwrap();
        (key, person)
    });
    drop(server);
    // the store has it
    let store = doisoat::decisions::Store::open(&db).unwrap();
    let all = store.all().unwrap();
    assert_eq!(all.len(), 1, "{all:?}");
    assert_eq!(
        (
            all[0].record_key.as_str(),
            all[0].person_id.as_str(),
            all[0].kind.code(),
            all[0].by.as_str()
        ),
        (key.as_str(), person.as_str(), "not_same_person", "kiểm thử")
    );
    // and the next run honours it
    let was = before.iter().find(|r| r["record_key"] == key).unwrap();
    let after = reconcile(
        &case,
        &dir.join("again"),
        &["--decisions", db.to_str().unwrap()],
    );
    let now = after.iter().find(|r| r["record_key"] == key).unwrap();
    assert!(!person.is_empty());
    assert_ne!(now["person_id"], person, "before: {was:?}, after: {now:?}");
    assert!(
        !now["candidates"].contains(&person),
        "never a candidate again: {now:?}"
    );
}
