//! Just enough HTTP/1.1 for a page on 127.0.0.1: a request read whole (line, headers, a body of
//! `Content-Length`), a response written whole, and the connection closed. Each connection is read
//! on its own thread, so a browser's idle pre-connection never holds up the others.
use std::collections::HashMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::time::Duration;

/// The largest request taken (a decision is a few hundred bytes).
const MAX_BODY: usize = 64 * 1024;

/// A request.
pub struct Request {
    /// `GET`, `POST`
    pub method: String,
    /// the path, without the query
    pub path: String,
    /// the query's parameters, decoded
    pub query: HashMap<String, String>,
    /// the `Host` header
    pub host: String,
    /// the body
    pub body: Vec<u8>,
}

/// Read one request from a connection, or `None` when the peer sent nothing usable in time.
pub fn read(stream: &TcpStream) -> Option<Request> {
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .ok()?;
    stream
        .set_write_timeout(Some(Duration::from_secs(10)))
        .ok()?;
    // the request line and headers (16 KiB at most) and the body
    let mut r = BufReader::new(stream.take(16 * 1024 + MAX_BODY as u64));
    let mut line = String::new();
    r.read_line(&mut line).ok()?;
    let mut parts = line.split_whitespace();
    let (method, target) = (parts.next()?.to_string(), parts.next()?.to_string());
    let (mut len, mut host) = (0usize, String::new());
    loop {
        let mut h = String::new();
        if r.read_line(&mut h).ok()? == 0 {
            break;
        }
        let h = h.trim_end();
        if h.is_empty() {
            break;
        }
        if let Some((k, v)) = h.split_once(':') {
            match k.trim().to_ascii_lowercase().as_str() {
                "content-length" => len = v.trim().parse().ok()?,
                "host" => host = v.trim().to_string(),
                _ => {}
            }
        }
    }
    if len > MAX_BODY {
        return None;
    }
    let mut body = vec![0; len];
    r.read_exact(&mut body).ok()?;
    let (path, q) = target.split_once('?').unwrap_or((&target, ""));
    Some(Request {
        method,
        path: decode(path),
        query: parse_query(q),
        host,
        body,
    })
}

/// The parameters of a query string (`a=1&b=x%20y`).
pub fn parse_query(q: &str) -> HashMap<String, String> {
    q.split('&')
        .filter(|p| !p.is_empty())
        .map(|p| {
            let (k, v) = p.split_once('=').unwrap_or((p, ""));
            (decode(k), decode(v))
        })
        .collect()
}

/// Percent-decoding (and `+` as a space), invalid UTF-8 replaced.
pub fn decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'+' => out.push(b' '),
            b'%' if i + 2 < b.len() => {
                let hex = std::str::from_utf8(&b[i + 1..i + 3]).unwrap_or("");
                match u8::from_str_radix(hex, 16) {
                    Ok(v) => {
                        out.push(v);
                        i += 2;
                    }
                    Err(_) => out.push(b'%'),
                }
            }
            c => out.push(c),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// A response.
pub struct Response {
    /// `200 OK`, …
    pub status: &'static str,
    /// its media type
    pub content_type: &'static str,
    /// its body
    pub body: Vec<u8>,
}

impl Response {
    /// A JSON response.
    pub fn json(v: &serde_json::Value) -> Response {
        Response {
            status: "200 OK",
            content_type: "application/json; charset=utf-8",
            body: v.to_string().into_bytes(),
        }
    }
    /// A plain-text error.
    pub fn error(status: &'static str, why: &str) -> Response {
        Response {
            status,
            content_type: "text/plain; charset=utf-8",
            body: why.as_bytes().to_vec(),
        }
    }
}

/// Write a response and close: nothing is cached, nothing is loaded from elsewhere.
pub fn write(mut stream: &TcpStream, r: &Response) {
    let head = format!(
        "HTTP/1.1 {}\r\nContent-Type: {}\r\nContent-Length: {}\r\nConnection: close\r\nCache-Control: no-store\r\nX-Content-Type-Options: nosniff\r\nReferrer-Policy: no-referrer\r\nContent-Security-Policy: default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; connect-src 'self'; img-src 'self' data:\r\n\r\n",
        r.status,
        r.content_type,
        r.body.len()
    );
    let _ = stream.write_all(head.as_bytes());
    let _ = stream.write_all(&r.body);
    let _ = stream.flush();
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn queries_are_decoded() {
        let q = parse_query("token=ab12&commune=Th%E1%BA%A1ch+H%C3%A0&x=%zz&y");
        assert_eq!(q["token"], "ab12");
        assert_eq!(q["commune"], "Thạch Hà");
        assert_eq!(q["x"], "%zz");
        assert_eq!(q["y"], "");
        assert_eq!(decode("100%"), "100%");
    }
}
