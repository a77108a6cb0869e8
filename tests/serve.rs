//! `iisg serve`: the real binary on a free port, asked over real HTTP by a tiny client.

use std::fmt::Write as _;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use crate::test::Test;

/// A running `iisg serve`; killed when dropped, so that a failing test leaves none behind.
struct Server {
    child: Child,
    port: u16,
    first_line: String,
}

impl Server {
    /// Starts `iisg serve --bind 127.0.0.1:0` in the test's root and reads the port from
    /// its first line.
    fn start(test: &Test) -> Self {
        Self::start_with(test, &[])
    }

    /// [`Server::start`] with more flags.
    fn start_with(test: &Test, flags: &[&str]) -> Self {
        let bind: &[&str] = if flags.contains(&"--bind") {
            &[]
        } else {
            &["--bind", "127.0.0.1:0"]
        };
        let mut child = Command::new(env!("CARGO_BIN_EXE_iisg"))
            .arg("serve")
            .args(bind)
            .args(flags)
            .current_dir(test.data().parent().unwrap())
            .env_remove("IISG_DATA")
            .env("NO_COLOR", "1")
            // No one's git identity: a commit's author is then `iisg serve`.
            .env("GIT_CONFIG_GLOBAL", "/dev/null")
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let mut line = String::new();
        BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut line)
            .unwrap();
        let mut server = Self {
            child,
            port: 0,
            first_line: line.trim_end().to_string(),
        };
        let port = server
            .first_line
            .strip_suffix('/')
            .and_then(|l| l.rsplit(':').next())
            .and_then(|p| p.parse().ok());
        server.port = port.unwrap_or_else(|| panic!("no port in {:?}", server.first_line));
        server
    }

    /// `GET path` with the server's own `Host`.
    fn get(&self, path: &str) -> Reply {
        self.get_as(path, Some(&format!("127.0.0.1:{}", self.port)))
    }

    /// `GET path` naming `host` (none: no `Host` header at all).
    fn get_as(&self, path: &str, host: Option<&str>) -> Reply {
        let host = host.map(|h| format!("Host: {h}\r\n")).unwrap_or_default();
        self.send(&format!(
            "GET {path} HTTP/1.1\r\n{host}Connection: close\r\n\r\n"
        ))
    }

    /// `METHOD path` with the server's own `Host`, these headers and this body.
    fn request(&self, method: &str, path: &str, headers: &[(&str, &str)], body: &str) -> Reply {
        let mut head = format!(
            "{method} {path} HTTP/1.1\r\nHost: 127.0.0.1:{}\r\nConnection: close\r\nContent-Length: {}\r\n",
            self.port,
            body.len()
        );
        for (name, value) in headers {
            let _ = write!(head, "{name}: {value}\r\n");
        }
        self.send(&format!("{head}\r\n{body}"))
    }

    /// This run's token, from `GET /api/session`.
    fn csrf(&self) -> String {
        self.get("/api/session").status(200).json()["csrf"]
            .as_str()
            .unwrap()
            .to_string()
    }

    /// The `ETag` of `GET path`.
    fn etag(&self, path: &str) -> String {
        let reply = self.get(path).status(200);
        reply.header("etag").expect("an ETag").to_string()
    }

    /// `PATCH /api/actions/ID` with the token, `If-Match` and a JSON body.
    fn patch(&self, id: u32, etag: &str, json: &str) -> Reply {
        let token = self.csrf();
        self.request(
            "PATCH",
            &format!("/api/actions/{id}"),
            &[
                ("Content-Type", "application/json"),
                ("X-CSRF-Token", &token),
                ("If-Match", etag),
            ],
            json,
        )
    }

    /// `POST path` of a form's pairs, with the token.
    fn post_form(&self, path: &str, pairs: &[(&str, &str)]) -> Reply {
        let token = self.csrf();
        let mut body = form_urlencoded_pairs(&[("csrf", token.as_str())]);
        body.push('&');
        body.push_str(&form_urlencoded_pairs(pairs));
        self.request(
            "POST",
            path,
            &[("Content-Type", "application/x-www-form-urlencoded")],
            &body,
        )
    }

    /// Sends `request` as it is and reads the whole answer.
    fn send(&self, request: &str) -> Reply {
        let mut stream = TcpStream::connect(("127.0.0.1", self.port)).unwrap();
        stream
            .set_read_timeout(Some(Duration::from_secs(10)))
            .unwrap();
        stream.write_all(request.as_bytes()).unwrap();
        let mut bytes = Vec::new();
        let _ = stream.read_to_end(&mut bytes);
        Reply::parse(&bytes)
    }

    /// Sends a signal (`TERM`, `INT`) and waits for the exit code.
    fn stop(mut self, signal: &str) -> Option<i32> {
        let pid = self.child.id().to_string();
        assert!(
            Command::new("kill")
                .args([&format!("-{signal}"), &pid])
                .status()
                .unwrap()
                .success()
        );
        for _ in 0..100 {
            if let Some(status) = self.child.try_wait().unwrap() {
                return status.code();
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        panic!("still running 5 s after SIG{signal}");
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Pairs as a form sends them.
fn form_urlencoded_pairs(pairs: &[(&str, &str)]) -> String {
    let encode = |text: &str| {
        text.bytes()
            .map(|b| match b {
                b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' => {
                    (b as char).to_string()
                }
                b' ' => "+".into(),
                _ => format!("%{b:02X}"),
            })
            .collect::<String>()
    };
    pairs
        .iter()
        .map(|(k, v)| format!("{}={}", encode(k), encode(v)))
        .collect::<Vec<_>>()
        .join("&")
}

/// The page's one script is the server's own file, and there is no inline script.
fn assert_only_our_script(body: &str, path: &str) {
    let ours = r#"<script src="/assets/live.js" defer></script>"#;
    assert_eq!(body.matches("<script").count(), 1, "{path}: {body}");
    assert!(body.contains(ours), "{path}: {body}");
}

/// The value of a hidden field `name` in a page.
fn hidden(body: &str, name: &str) -> String {
    let at = body
        .find(&format!(r#"name="{name}" value=""#))
        .unwrap_or_else(|| panic!("no hidden {name}: {body}"));
    let rest = &body[at + name.len() + 15..];
    rest[..rest.find('"').unwrap()].replace("&quot;", "\"")
}

/// A chunked body's bytes joined (RFC 9112 §7.1), as text.
fn dechunk(mut raw: &[u8]) -> String {
    let mut body = Vec::new();
    loop {
        let line_end = raw
            .windows(2)
            .position(|w| w == b"\r\n")
            .expect("a chunk size line");
        let size_text = std::str::from_utf8(&raw[..line_end]).unwrap();
        let size = usize::from_str_radix(size_text.split(';').next().unwrap().trim(), 16)
            .unwrap_or_else(|_| panic!("a chunk size, not {size_text:?}"));
        raw = &raw[line_end + 2..];
        if size == 0 {
            break;
        }
        body.extend_from_slice(&raw[..size]);
        assert_eq!(&raw[size..size + 2], b"\r\n", "a chunk ends with CRLF");
        raw = &raw[size + 2..];
    }
    String::from_utf8(body).expect("UTF-8 JSON")
}

struct Reply {
    status: u16,
    headers: Vec<(String, String)>,
    body: String,
}

impl Reply {
    fn parse(bytes: &[u8]) -> Self {
        let text = String::from_utf8(bytes.to_vec()).unwrap();
        let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
        let mut lines = head.lines();
        let status = lines
            .next()
            .and_then(|l| l.split(' ').nth(1))
            .and_then(|s| s.parse().ok())
            .unwrap_or_else(|| panic!("no status line in {text:?}"));
        let headers: Vec<(String, String)> = lines
            .filter_map(|l| l.split_once(": "))
            .map(|(k, v)| (k.to_ascii_lowercase(), v.to_string()))
            .collect();
        // A body sent as it is written (the API's lists) comes in chunks.
        let chunked = headers
            .iter()
            .any(|(k, v)| k == "transfer-encoding" && v.contains("chunked"));
        let body = if chunked {
            dechunk(body.as_bytes())
        } else {
            body.to_string()
        };
        Self {
            status,
            headers,
            body,
        }
    }

    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    /// Panics unless the status is `status`; the reply, for more checks.
    fn status(self, status: u16) -> Self {
        assert_eq!(self.status, status, "{}", self.body);
        self
    }

    fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.body))
    }
}

#[test]
fn the_first_line_names_the_plan_and_the_real_port() {
    let test = Test::shipped();
    let server = Server::start(&test);
    assert_eq!(
        server.first_line,
        format!(
            "serving IISG Response Action 2018-2019 at http://127.0.0.1:{}/",
            server.port
        )
    );
    assert_ne!(server.port, 0);
}

#[test]
fn every_page_answers_with_what_the_commands_tell() {
    let test = Test::shipped();
    let server = Server::start(&test);
    let summary = server.get("/").status(200);
    assert_eq!(
        summary.header("content-type"),
        Some("text/html; charset=utf-8")
    );
    for text in [
        "<!DOCTYPE html>",
        r#"<meta name="viewport" content="width=device-width, initial-scale=1">"#,
        r#"<link rel="stylesheet" href="/assets/style.css">"#,
        "Actions by status",
        "Next deadlines",
        "IISG Response Action 2018-2019",
    ] {
        assert!(summary.body.contains(text), "{text}:\n{}", summary.body);
    }
    let actions = server.get("/actions").status(200);
    for text in [
        r#"<label for="status">Status</label>"#,
        r#"<label for="lead">Lead</label>"#,
        r#"<label for="partner">"#,
        r#"<label for="location">Location</label>"#,
        r#"<label for="financing">Financing</label>"#,
        r#"<label for="search">"#,
        r#"<form class="filters" method="get" action="/actions""#,
        r#"<a href="/actions/4">4</a>"#,
        "28 actions.",
    ] {
        assert!(actions.body.contains(text), "{text}:\n{}", actions.body);
    }
    let filtered = server
        .get("/actions?status=completed&lead=DCAF")
        .status(200);
    assert!(
        filtered
            .body
            .contains(r#"<option value="completed" selected>"#),
        "{}",
        filtered.body
    );
    let listed = Test::run_in(
        &Test::shipped(),
        &[
            "list",
            "--status",
            "completed",
            "--lead",
            "DCAF",
            "--format",
            "json",
        ],
    )
    .json();
    let count = listed.as_array().unwrap().len();
    assert!(
        filtered.body.contains(&format!("{count} actions.")),
        "{}",
        filtered.body
    );
    let four = server.get("/actions/4").status(200);
    for text in [
        "Action 4: Joint Operation",
        "Timeline",
        "Financing",
        "Status",
    ] {
        assert!(four.body.contains(text), "{text}:\n{}", four.body);
    }
    let findings = server.get("/findings").status(200);
    assert!(findings.body.contains("errors, "), "{}", findings.body);
    assert!(
        findings.body.contains("data/actions/"),
        "each finding names its file: {}",
        findings.body
    );
    let report = server.get("/report/by-partner").status(200);
    assert!(report.body.contains("DCAF"), "{}", report.body);
    let style = server.get("/assets/style.css").status(200);
    assert_eq!(
        style.header("content-type"),
        Some("text/css; charset=utf-8")
    );
}

#[test]
fn a_large_plan_is_paged() {
    let mut test = Test::new();
    for id in 1..=150 {
        test = test.file(
            &format!("actions/{id:03}-a.yaml"),
            crate::test::action(id, &format!("Action number {id}"), "planned", "2019"),
        );
    }
    let server = Server::start(&test);
    let first = server.get("/actions").status(200);
    assert!(
        first.body.contains("150 actions, page 1 of 2."),
        "{}",
        first.body
    );
    assert!(first.body.contains(r#"href="/actions/100""#));
    assert!(!first.body.contains(r#"href="/actions/101""#));
    assert!(
        first.body.contains(r#"rel="next" href="/actions?page=2""#),
        "{}",
        first.body
    );
    let second = server.get("/actions?page=2").status(200);
    assert!(second.body.contains(r#"href="/actions/150""#));
    assert!(!second.body.contains(r#"href="/actions/100""#));
    server.get("/actions?page=0").status(400);
}

#[test]
fn overlaps_of_a_plan_with_more_cases_than_listed_say_so_on_the_page() {
    let test = Test::look_alikes();
    let server = Server::start(&test);
    let page = server.get("/report/overlaps").status(200);
    assert!(
        page.body.contains("Only the 10,000 strongest"),
        "{}",
        page.body
    );
    assert!(
        page.body.contains("Page 1 of 10, 1000 rows a page."),
        "{}",
        page.body
    );
    let plan = Test::shipped();
    let shipped = Server::start(&plan);
    let page = shipped.get("/report/overlaps").status(200);
    assert!(!page.body.contains("strongest"), "{}", page.body);
}

#[test]
fn reports_and_findings_of_a_large_plan_are_paged() {
    // 2,100 actions due in 2019, looked at as of 2026: 2,100 overdue (and as many
    // warnings), and a report's row for each.
    let mut test = Test::new();
    for id in 1..=2100 {
        test = test.file(
            &format!("actions/{id:04}-a.yaml"),
            crate::test::action(id, &format!("Action number {id}"), "planned", "By May 2019"),
        );
    }
    let server = Server::start(&test);
    let first = server.get("/report/timeline").status(200);
    assert!(
        first.body.contains("Page 1 of 3, 1000 rows a page."),
        "{}",
        first.body
    );
    assert!(
        first
            .body
            .contains(r#"rel="next" href="/report/timeline?page=2""#)
    );
    assert!(
        first
            .body
            .contains("The chart is drawn for plans of up to 2000 actions")
    );
    assert!(
        first.body.contains("Action number 1000<") && !first.body.contains("Action number 1001<")
    );
    let last = server.get("/report/timeline?page=3").status(200);
    assert!(
        last.body.contains("Action number 2100<") && !last.body.contains("Action number 2000<")
    );
    assert!(
        last.body
            .contains(r#"rel="prev" href="/report/timeline?page=2""#)
    );
    // Past the last page: the last.
    let past = server
        .get("/report/overdue?as-of=2026-01-01&page=9")
        .status(200);
    assert!(past.body.contains("Page 3 of 3"), "{}", past.body);
    let findings = server.get("/findings?as-of=2026-01-01&page=2").status(200);
    assert!(findings.body.contains("Page 2 of 3"), "{}", findings.body);
    // The JSON has every row.
    let all = server.get("/api/report/timeline").status(200);
    assert!(all.body.contains("Action number 2100"));
    // Sent in pieces as it is written (this one is 1.5 MB), the same bytes as the command's.
    let actions = server.get("/api/actions").status(200);
    assert_eq!(actions.header("transfer-encoding"), Some("chunked"));
    let cli = Test::run_in(&test, &["list", "--format", "json"]);
    assert_eq!(actions.body, cli.stdout);
    server.get("/findings?page=0").status(400);
}

#[test]
fn the_api_prints_what_the_command_line_prints_to_the_byte() {
    let test = Test::shipped();
    let server = Server::start(&test);
    let cases: &[(&str, &[&str])] = &[
        ("/api/actions", &["list", "--format", "json"]),
        (
            "/api/actions?status=completed",
            &["list", "--status", "completed", "--format", "json"],
        ),
        (
            "/api/actions?status=completed,planned&lead=dcaf",
            &[
                "list",
                "--status",
                "completed,planned",
                "--lead",
                "dcaf",
                "--format",
                "json",
            ],
        ),
        (
            "/api/actions?search=border&location=FYROM",
            &[
                "list",
                "--search",
                "border",
                "--location",
                "FYROM",
                "--format",
                "json",
            ],
        ),
        (
            "/api/actions?overdue=true",
            &["list", "--overdue", "--format", "json"],
        ),
        ("/api/actions/4", &["show", "4", "--format", "json"]),
        ("/api/findings", &["validate", "--format", "json"]),
        ("/api/report", &["report", "--format", "json"]),
        (
            "/api/report/by-partner",
            &["report", "--by-partner", "--format", "json"],
        ),
        (
            "/api/report/timeline",
            &["report", "--timeline", "--format", "json"],
        ),
        (
            "/api/report/coverage",
            &["report", "--coverage", "--format", "json"],
        ),
        (
            "/api/report/overdue?as-of=2019-06-01",
            &[
                "report",
                "--overdue",
                "--as-of",
                "2019-06-01",
                "--format",
                "json",
            ],
        ),
    ];
    for (path, args) in cases {
        let reply = server.get(path).status(200);
        assert_eq!(reply.header("content-type"), Some("application/json"));
        let cli = Test::run_in(&test, args);
        assert_eq!(reply.body, cli.stdout, "{path} against iisg {args:?}");
    }
}

/// Asks `path` until its body is the CLI's output for `args` (the files changed from
/// outside a moment ago); panics after a generous 10 s, which says nothing of speed: the
/// change is to show within a second.
fn eventually_as_cli(server: &Server, test: &Test, path: &str, args: &[&str]) -> String {
    let start = std::time::Instant::now();
    loop {
        let cli = Test::run_in(test, args).stdout;
        let reply = server.get(path);
        if reply.body == cli {
            return cli;
        }
        assert!(
            start.elapsed() < Duration::from_secs(10),
            "{path} is still not what iisg {args:?} prints:\n{}\n---\n{cli}",
            reply.body
        );
        std::thread::sleep(Duration::from_millis(20));
    }
}

#[test]
fn a_change_from_outside_shows_in_the_api() {
    let test = Test::shipped();
    let server = Server::start(&test);
    let four = test.data().join("actions/004-joint-operation.yaml");
    let text = std::fs::read_to_string(&four).unwrap();
    let before = server.get("/api/actions/4").status(200).json();
    assert_eq!(before["status"], "planned");
    // Written in place, as an editor may: only the watcher sees it.
    std::fs::write(&four, text.replace("status: planned", "status: completed")).unwrap();
    let show = ["show", "4", "--format", "json"];
    let shown = eventually_as_cli(&server, &test, "/api/actions/4", &show);
    assert!(shown.contains(r#""status": "completed""#), "{shown}");
    let list = ["list", "--format", "json"];
    eventually_as_cli(&server, &test, "/api/actions", &list);
    // Broken: a finding, exactly as validate reports it, and the action is gone from the
    // list as from `list`'s.
    std::fs::write(&four, "id: 4\ntitle: [unclosed\n").unwrap();
    let findings = ["validate", "--format", "json"];
    let found = eventually_as_cli(&server, &test, "/api/findings", &findings);
    assert!(found.contains("004-joint-operation.yaml"), "{found}");
    eventually_as_cli(&server, &test, "/api/actions", &list);
    server.get("/api/actions/4").status(404);
}

#[test]
fn files_added_removed_and_renamed_from_outside_show() {
    let test = Test::shipped();
    let server = Server::start(&test);
    let data = test.data();
    let list = ["list", "--format", "json"];
    std::fs::remove_file(data.join("actions/001-joint-operation-drino.yaml")).unwrap();
    let listed = eventually_as_cli(&server, &test, "/api/actions", &list);
    assert!(!listed.contains("001-joint-operation-drino"));
    std::fs::rename(
        data.join("actions/004-joint-operation.yaml"),
        data.join("actions/004-renamed.yaml"),
    )
    .unwrap();
    let listed = eventually_as_cli(&server, &test, "/api/actions", &list);
    assert!(listed.contains("004-renamed.yaml"), "{listed}");
    let text = crate::test::action(99, "Added from outside", "planned", "2019");
    std::fs::write(data.join("actions/099-added.yaml"), text).unwrap();
    let listed = eventually_as_cli(&server, &test, "/api/actions", &list);
    assert!(listed.contains("Added from outside"), "{listed}");
    std::fs::write(data.join("actions/notes.txt"), "not a record").unwrap();
    let findings = ["validate", "--format", "json"];
    let found = eventually_as_cli(&server, &test, "/api/findings", &findings);
    assert!(found.contains("notes.txt"), "{found}");
}

#[test]
fn a_registry_or_plan_change_from_outside_judges_the_findings_again() {
    let test = Test::shipped();
    let server = Server::start(&test);
    let partners = test.data().join("partners.yaml");
    let text = std::fs::read_to_string(&partners).unwrap();
    std::fs::write(&partners, text.replace("code: DCAF\n", "code: DCAF-X\n")).unwrap();
    let findings = ["validate", "--format", "json"];
    let found = eventually_as_cli(&server, &test, "/api/findings", &findings);
    assert!(found.contains("unknown-partner"), "{found}");
    let by_partner = ["report", "--by-partner", "--format", "json"];
    eventually_as_cli(&server, &test, "/api/report/by-partner", &by_partner);
    let plan = test.data().join("plan.yaml");
    let text = std::fs::read_to_string(&plan).unwrap();
    std::fs::write(
        &plan,
        text.replace("as_of: 2019-02-26", "as_of: 2019-12-31"),
    )
    .unwrap();
    let found = eventually_as_cli(&server, &test, "/api/findings", &findings);
    assert!(found.contains("overdue"), "{found}");
}

#[test]
fn a_write_changes_the_version_at_once() {
    let test = Test::shipped();
    let server = Server::start(&test);
    let version = |server: &Server| {
        let reply = server.get("/api/version").status(200);
        assert_eq!(reply.header("content-type"), Some("application/json"));
        reply.json()["version"].as_str().unwrap().to_string()
    };
    let first = version(&server);
    assert_eq!(version(&server), first, "nothing changed");
    // The server's own write: the very next request sees it.
    let etag = server.etag("/api/actions/4");
    server
        .patch(4, &etag, r#"{"status": "in-progress"}"#)
        .status(200);
    let second = version(&server);
    assert_ne!(second, first);
    // A write of the command line, renamed into place as every iisg write is: seen at the
    // next request too, watcher or not.
    let edit = Test::run_in(&test, &["edit", "4", "--status", "completed"]);
    assert_eq!(edit.code, 0, "{}", edit.stderr);
    let shown = server.get("/api/actions/4").status(200).json();
    assert_eq!(shown["status"], "completed");
    let third = version(&server);
    assert_ne!(third, second);
    // The same bytes again are the same version.
    let edit = Test::run_in(&test, &["edit", "4", "--status", "in-progress"]);
    assert_eq!(edit.code, 0, "{}", edit.stderr);
    assert_eq!(version(&server), second);
}

#[test]
fn the_reload_script_is_served_and_every_page_links_it() {
    let test = Test::shipped();
    let server = Server::start(&test);
    let script = server.get("/assets/live.js").status(200);
    assert_eq!(
        script.header("content-type"),
        Some("text/javascript; charset=utf-8")
    );
    assert!(script.body.contains("/api/version"));
    assert!(script.body.contains(r#""role", "status""#));
    let version = server.get("/api/version").json()["version"]
        .as_str()
        .unwrap()
        .to_string();
    let meta = format!(r#"<meta name="plan-version" content="{version}">"#);
    for path in [
        "/",
        "/actions",
        "/actions/4",
        "/findings",
        "/report/by-status",
    ] {
        let body = server.get(path).status(200).body;
        assert!(body.contains(&meta), "{path}: {body}");
        assert_only_our_script(&body, path);
    }
}

#[test]
fn a_bad_value_is_400_with_the_command_lines_message() {
    let test = Test::shipped();
    let server = Server::start(&test);
    for (query, flags) in [
        ("status=bogus", ["--status", "bogus"]),
        ("partner=nobody", ["--partner", "nobody"]),
        ("due-before=soon", ["--due-before", "soon"]),
    ] {
        let cli = Test::run_in(&test, &["list", flags[0], flags[1]]);
        assert_eq!(cli.code, 2);
        let message = cli
            .stderr
            .lines()
            .next()
            .unwrap()
            .strip_prefix("error: ")
            .unwrap();
        let api = server.get(&format!("/api/actions?{query}")).status(400);
        assert_eq!(api.json()["error"], message, "{query}");
        let page = server.get(&format!("/actions?{query}")).status(400);
        let escaped = message
            .replace('&', "&amp;")
            .replace('<', "&lt;")
            .replace('>', "&gt;");
        assert!(page.body.contains(&escaped), "{query}: {}", page.body);
    }
    let help = server.get("/api/actions?partner=nobody").status(400).json();
    assert!(
        help["help"].as_str().unwrap().contains("iisg partner add"),
        "{help}"
    );
    let unknown = server.get("/api/actions?colour=red").status(400).json();
    assert!(
        unknown["error"]
            .as_str()
            .unwrap()
            .contains("`colour` is not a query parameter"),
        "{unknown}"
    );
}

#[test]
fn an_unknown_id_or_page_is_404() {
    let test = Test::shipped();
    let server = Server::start(&test);
    let api = server.get("/api/actions/999").status(404).json();
    assert_eq!(api["error"], "no action has id 999");
    assert_eq!(
        server.get("/api/actions/DRINO").status(404).json()["error"],
        "`DRINO` is not an id: ids are whole numbers from 1 to 999999"
    );
    let page = server.get("/actions/999").status(404);
    assert!(page.body.contains("no action has id 999"), "{}", page.body);
    server.get("/nowhere").status(404);
    server.get("/api/nowhere").status(404).json();
    server.get("/api/report/by-colour").status(404).json();
}

#[test]
fn only_a_request_naming_this_server_is_answered() {
    let test = Test::shipped();
    let server = Server::start(&test);
    let port = server.port;
    for host in [
        format!("localhost:{port}"),
        format!("[::1]:{port}"),
        format!("LOCALHOST:{port}"),
    ] {
        server.get_as("/api/actions", Some(&host)).status(200);
    }
    // A page of another site whose name now points at 127.0.0.1 (DNS rebinding).
    for host in [
        "evil.example".to_string(),
        format!("evil.example:{port}"),
        "127.0.0.1:1".into(),
    ] {
        let reply = server.get_as("/api/actions", Some(&host)).status(421);
        assert!(
            reply.json()["error"].as_str().unwrap().contains("not `"),
            "{}",
            reply.body
        );
        assert!(!reply.body.contains("Joint Operation"));
        server.get_as("/actions", Some(&host)).status(421);
    }
    server.get_as("/", None).status(400);
}

#[test]
fn every_answer_carries_the_security_headers() {
    let test = Test::shipped();
    let server = Server::start(&test);
    for path in [
        "/",
        "/actions",
        "/api/actions",
        "/nowhere",
        "/assets/style.css",
    ] {
        let reply = server.get(path);
        let csp = reply
            .header("content-security-policy")
            .unwrap_or_else(|| panic!("{path}: no CSP"));
        assert!(csp.starts_with("default-src 'self'"), "{csp}");
        assert!(
            csp.contains("script-src 'self'") && !csp.contains("unsafe-inline"),
            "{csp}"
        );
        assert!(csp.contains("frame-ancestors 'none'"), "{csp}");
        assert_eq!(
            reply.header("x-content-type-options"),
            Some("nosniff"),
            "{path}"
        );
        assert_eq!(
            reply.header("referrer-policy"),
            Some("same-origin"),
            "{path}"
        );
        assert_eq!(reply.header("x-frame-options"), Some("DENY"), "{path}");
    }
    // No page asks for anything from elsewhere: no script but the server's own, no inline
    // script, no absolute URL.
    for path in ["/", "/actions", "/actions/4", "/findings"] {
        let body = server.get(path).body;
        assert_only_our_script(&body, path);
        assert!(
            !body.contains("http://") && !body.contains("https://") && !body.contains("//cdn"),
            "{path}"
        );
    }
}

#[test]
fn a_huge_request_head_is_refused() {
    let test = Test::shipped();
    let server = Server::start(&test);
    let big = "x".repeat(64 * 1024);
    let request = format!(
        "GET / HTTP/1.1\r\nHost: 127.0.0.1:{}\r\nX-Big: {big}\r\nConnection: close\r\n\r\n",
        server.port
    );
    let reply = server.send(&request);
    assert_eq!(reply.status, 431, "{}", reply.body);
    server.get("/").status(200);
}

#[test]
fn hostile_text_is_escaped_on_every_page() {
    const HOSTILE: &str = "<script>alert(1)</script> \u{1b}]0;pwned\u{7} \u{1b}[31mred\u{202e}\"'&";
    let test = Test::shipped();
    let path = test.data().join("actions/004-joint-operation.yaml");
    let text = std::fs::read_to_string(&path).unwrap();
    let quoted = serde_json::to_string(HOSTILE).unwrap();
    std::fs::write(
        &path,
        text.replacen("title: Joint Operation\n", &format!("title: {quoted}\n"), 1),
    )
    .unwrap();
    let plan = test.data().join("plan.yaml");
    let text = std::fs::read_to_string(&plan).unwrap();
    let title_line = text
        .lines()
        .find(|l| l.starts_with("title:"))
        .unwrap()
        .to_string();
    std::fs::write(
        &plan,
        text.replacen(&title_line, &format!("title: {quoted}"), 1),
    )
    .unwrap();
    let server = Server::start(&test);
    assert!(
        !server.first_line.contains('\u{1b}'),
        "{:?}",
        server.first_line
    );
    for path in [
        "/",
        "/actions",
        "/actions/4",
        "/findings",
        "/report/timeline",
        "/annex",
        "/logframe",
        "/actions?search=%3Cscript%3E",
    ] {
        let body = server.get(path).status(200).body;
        assert_only_our_script(&body, path);
        assert!(
            body.contains("&lt;script&gt;alert(1)&lt;/script&gt;"),
            "{path}: {body}"
        );
        assert!(
            !body.contains('\u{1b}') && !body.contains('\u{7}') && !body.contains('\u{202e}'),
            "{path}: a raw control character"
        );
        assert!(
            body.contains("\\u001b]0;pwned"),
            "{path}: the escape is shown, not passed"
        );
    }
    let api = server.get("/api/actions/4").status(200).json();
    assert_eq!(api["title"], HOSTILE, "the JSON keeps the data whole");
}

#[test]
fn a_non_loopback_address_is_refused() {
    let test = Test::shipped();
    for bind in ["0.0.0.0:0", "[::]:0", "192.0.2.1:7878"] {
        let out = test.run_with(&["serve", "--bind", bind], &[]);
        assert_eq!(out.code, 2, "{bind}: {}", out.stderr);
        assert!(
            out.stderr.contains("is not a loopback address"),
            "{}",
            out.stderr
        );
        assert!(out.stderr.contains("--users FILE"), "{}", out.stderr);
        assert!(out.stdout.is_empty());
    }
}

#[test]
fn sigterm_and_ctrl_c_stop_it_cleanly() {
    let test = Test::shipped();
    for signal in ["TERM", "INT"] {
        let server = Server::start(&test);
        server.get("/").status(200);
        assert_eq!(server.stop(signal), Some(0), "SIG{signal}");
    }
    // A signal as soon as the address is told stops it cleanly too.
    let server = Server::start(&test);
    assert_eq!(server.stop("TERM"), Some(0));
}

#[test]
fn patch_changes_only_what_it_names_and_answers_with_show() {
    let test = Test::shipped();
    let server = Server::start(&test);
    let file = test.data().join("actions/004-joint-operation.yaml");
    let before = std::fs::read_to_string(&file).unwrap();
    let etag = server.etag("/api/actions/4");
    let reply = server
        .patch(
            4,
            &etag,
            r#"{"status": "in-progress", "add_financing": "GIZ?"}"#,
        )
        .status(200);
    let after = std::fs::read_to_string(&file).unwrap();
    assert_eq!(
        reply.body,
        Test::run_in(&test, &["show", "4", "--format", "json"]).stdout,
        "the answer is what `show --format json` prints now"
    );
    let new_etag = reply.header("etag").unwrap().to_string();
    assert_ne!(new_etag, etag);
    assert_eq!(server.etag("/api/actions/4"), new_etag);
    assert_eq!(
        server.etag("/actions/4"),
        new_etag,
        "the page has the same ETag"
    );
    // The same edit from the command line gives the same bytes.
    let cli = Test::shipped();
    Test::run_in(
        &cli,
        &[
            "edit",
            "4",
            "--status",
            "in-progress",
            "--add-financing",
            "GIZ?",
        ],
    );
    let by_cli =
        std::fs::read_to_string(cli.data().join("actions/004-joint-operation.yaml")).unwrap();
    assert_eq!(after, by_cli);
    assert_ne!(after, before);
    // The edit keys take effect in the order given, as `edit`'s flags do.
    let reply = server
        .patch(
            4,
            &new_etag,
            r#"{"remove_financing": "GIZ", "add_financing": "GIZ", "add_notes": "Checked."}"#,
        )
        .status(200);
    assert_eq!(
        reply.json()["financing"][0]["tentative"],
        false,
        "{}",
        reply.body
    );
    assert!(reply.body.contains("Checked."), "{}", reply.body);
}

#[test]
fn a_write_needs_if_match_and_the_version_on_disk() {
    let test = Test::shipped();
    let server = Server::start(&test);
    let token = server.csrf();
    let before = test.snapshot_files();
    let reply = server
        .request(
            "PATCH",
            "/api/actions/4",
            &[
                ("Content-Type", "application/json"),
                ("X-CSRF-Token", &token),
            ],
            r#"{"status": "completed"}"#,
        )
        .status(428);
    assert!(reply.json()["error"].as_str().unwrap().contains("If-Match"));
    let old = server.etag("/api/actions/4");
    server
        .patch(4, &old, r#"{"status": "in-progress"}"#)
        .status(200);
    let after_first = test.snapshot_files();
    let stale = server
        .patch(4, &old, r#"{"scope": "Border police"}"#)
        .status(412);
    let body = stale.json();
    assert!(
        body["error"]
            .as_str()
            .unwrap()
            .contains("status planned → in-progress"),
        "says what changed: {body}"
    );
    assert_eq!(body["changes"][0]["field"], "status");
    assert_eq!(test.snapshot_files(), after_first, "nothing written");
    assert_ne!(before, after_first);
}

#[test]
fn a_refused_write_is_422_with_the_findings_and_changes_no_byte() {
    let test = Test::shipped();
    let server = Server::start(&test);
    let before = test.snapshot_files();
    let etag = server.etag("/api/actions/22");
    let reply = server
        .patch(22, &etag, r#"{"status": "completed"}"#)
        .status(422);
    let body = reply.json();
    assert_eq!(
        body["findings"][0]["code"], "completed-before-start",
        "{body}"
    );
    assert_eq!(
        body["findings"][0]["file"],
        "data/actions/022-regional-risk-analysis-workshop.yaml"
    );
    assert!(body["error"].as_str().unwrap().starts_with("refused: "));
    // A value the command line refuses: its message.
    let cli = Test::run_in(&test, &["edit", "22", "--lead", "nobody"]);
    let message = cli
        .stderr
        .lines()
        .next()
        .unwrap()
        .strip_prefix("error: ")
        .unwrap()
        .to_string();
    let unknown = server
        .patch(22, &etag, r#"{"lead": ["nobody"]}"#)
        .status(400);
    assert_eq!(unknown.json()["error"], message);
    server.patch(22, &etag, r#"{"colour": "red"}"#).status(400);
    server.patch(22, &etag, r#"{"lead": []}"#).status(400);
    server.patch(22, &etag, "[1, 2]").status(400);
    server
        .patch(22, &etag, r#"{"status": "bogus"}"#)
        .status(400);
    server
        .patch(22, &etag, r#"{"remove_financing": "TAIEX"}"#)
        .status(422);
    server
        .patch(999, &etag, r#"{"status": "planned"}"#)
        .status(404);
    assert_eq!(test.snapshot_files(), before, "no byte changed");
}

#[test]
fn post_adds_an_action_as_add_action_does() {
    let test = Test::shipped();
    let server = Server::start(&test);
    let token = server.csrf();
    let json = r#"{"title": "Border surveillance training", "lead": ["DCAF Ljubljana", "frontex"],
        "involved": ["EUROPOL"], "locations": ["FYROM-GRE"], "scope": "Border police",
        "timeline": "Q3 2019", "financing": ["IPA II 2017", "TAIEX?"], "addresses": ["BP-7c"]}"#;
    let reply = server
        .request(
            "POST",
            "/api/actions",
            &[
                ("Content-Type", "application/json"),
                ("X-CSRF-Token", &token),
            ],
            json,
        )
        .status(201);
    assert_eq!(reply.header("location"), Some("/api/actions/29"));
    assert!(reply.header("etag").is_some());
    assert_eq!(
        reply.body,
        Test::run_in(&test, &["show", "29", "--format", "json"]).stdout
    );
    let cli = Test::shipped();
    Test::run_in(
        &cli,
        &[
            "add-action",
            "--title",
            "Border surveillance training",
            "--lead",
            "DCAF Ljubljana",
            "--lead",
            "frontex",
            "--involved",
            "EUROPOL",
            "--location",
            "FYROM-GRE",
            "--scope",
            "Border police",
            "--timeline",
            "Q3 2019",
            "--financing",
            "IPA II 2017",
            "--financing",
            "TAIEX?",
            "--addresses",
            "BP-7c",
        ],
    );
    let name = "actions/029-border-surveillance-training.yaml";
    assert_eq!(
        std::fs::read(test.data().join(name)).unwrap(),
        std::fs::read(cli.data().join(name)).unwrap(),
        "the same file as add-action writes"
    );
    let before = test.snapshot_files();
    let missing = server
        .request(
            "POST",
            "/api/actions",
            &[
                ("Content-Type", "application/json"),
                ("X-CSRF-Token", &token),
            ],
            r#"{"title": "No lead", "timeline": "2019"}"#,
        )
        .status(400);
    assert!(missing.json()["error"].as_str().unwrap().contains("lead"));
    server
        .request(
            "POST",
            "/api/actions",
            &[
                ("Content-Type", "application/json"),
                ("X-CSRF-Token", &token),
            ],
            r#"{"title": "Bad time", "lead": "DCAF", "timeline": "soonish"}"#,
        )
        .status(422);
    assert_eq!(test.snapshot_files(), before);
}

#[test]
fn an_unsafe_request_without_the_token_or_from_elsewhere_is_403() {
    let test = Test::shipped();
    let server = Server::start(&test);
    let token = server.csrf();
    assert_eq!(token.len(), 64);
    let etag = server.etag("/api/actions/4");
    let before = test.snapshot_files();
    let json = r#"{"status": "completed"}"#;
    let cases: Vec<Vec<(&str, &str)>> = vec![
        vec![("Content-Type", "application/json"), ("If-Match", &etag)],
        vec![
            ("Content-Type", "application/json"),
            ("If-Match", &etag),
            ("X-CSRF-Token", "0000"),
        ],
        vec![
            ("Content-Type", "application/json"),
            ("If-Match", &etag),
            ("X-CSRF-Token", &token),
            ("Origin", "http://evil.example"),
        ],
        vec![
            ("Content-Type", "application/json"),
            ("If-Match", &etag),
            ("X-CSRF-Token", &token),
            ("Origin", "null"),
        ],
    ];
    for headers in &cases {
        server
            .request("PATCH", "/api/actions/4", headers, json)
            .status(403);
        server
            .request("POST", "/api/actions", headers, json)
            .status(403);
        server
            .request("DELETE", "/api/actions/4", headers, "")
            .status(403);
    }
    // A form from another site, or one without this run's token.
    let form = "status=completed&etag=x";
    for headers in [
        vec![("Content-Type", "application/x-www-form-urlencoded")],
        vec![("Content-Type", "text/plain")],
    ] {
        server
            .request("POST", "/actions/4/edit", &headers, form)
            .status(403);
        server
            .request("POST", "/actions/new", &headers, "title=x")
            .status(403);
    }
    let wrong = "csrf=ffff&status=completed";
    server
        .request(
            "POST",
            "/actions/4/edit",
            &[("Content-Type", "application/x-www-form-urlencoded")],
            wrong,
        )
        .status(403);
    assert_eq!(test.snapshot_files(), before);
    // The token of another run is no token.
    let other = Server::start(&test);
    assert_ne!(other.csrf(), token);
}

#[test]
fn the_edit_form_saves_and_sends_the_browser_on() {
    let test = Test::shipped();
    let server = Server::start(&test);
    let page = server.get("/actions/4/edit").status(200);
    for text in [
        r#"<label for="f-status">Status</label>"#,
        r#"<label for="f-timeline">Timeline</label>"#,
        r#"<label for="f-lead">Lead</label>"#,
        r#"<label for="f-title">Title</label>"#,
        r#"<label for="f-financing">Financing</label>"#,
        r#"<select id="f-lead" name="lead" multiple"#,
        r#"list="f-financing-list""#,
        "<datalist",
        r#"<button type="submit">Save</button>"#,
        r#"name="csrf""#,
    ] {
        assert!(page.body.contains(text), "{text}:\n{}", page.body);
    }
    let etag = hidden(&page.body, "etag");
    assert_eq!(Some(etag.as_str()), page.header("etag"));
    let file = test.data().join("actions/004-joint-operation.yaml");
    let before = std::fs::read_to_string(&file).unwrap();
    let reply = server
        .post_form(
            "/actions/4/edit",
            &[
                ("etag", &etag),
                ("title", "Joint Operation"),
                ("lead", "DCAF"),
                ("involved", "EUROPOL"),
                ("involved", "FRONTEX"),
                ("locations", "BIH"),
                ("scope", "Criminal police and border police"),
                ("timeline", "By May 2019"),
                ("status", "in-progress"),
                ("requested_by", ""),
                ("financing", ""),
                ("addresses", "BP-6"),
                ("addresses", "CP-2"),
                ("addresses", "CP-3"),
                ("notes", ""),
            ],
        )
        .status(303);
    assert_eq!(reply.header("location"), Some("/actions/4?saved=1"));
    let after = std::fs::read_to_string(&file).unwrap();
    let changed: Vec<(&str, &str)> = before
        .lines()
        .zip(after.lines())
        .filter(|(a, b)| a != b)
        .collect();
    assert_eq!(changed, [("status: planned", "status: in-progress")]);
    assert_eq!(before.lines().count(), after.lines().count());
    let shown = server.get("/actions/4?saved=1").status(200);
    assert!(shown.body.contains("Saved."), "{}", shown.body);
    assert!(shown.body.contains(r#"href="/actions/4/edit""#));
}

#[test]
fn a_refused_form_comes_back_with_the_message_beside_its_field() {
    let test = Test::shipped();
    let server = Server::start(&test);
    let page = server.get("/actions/22/edit").status(200);
    let etag = hidden(&page.body, "etag");
    let before = test.snapshot_files();
    let fields = |status: &'static str, title: &'static str| {
        vec![
            ("etag", etag.clone()),
            ("title", title.to_string()),
            ("lead", "SELEC".to_string()),
            ("timeline", "March 2019".to_string()),
            ("status", status.to_string()),
        ]
    };
    let send = |pairs: Vec<(&str, String)>| {
        let pairs: Vec<(&str, &str)> = pairs.iter().map(|(k, v)| (*k, v.as_str())).collect();
        server.post_form("/actions/22/edit", &pairs)
    };
    let reply = send(fields("completed", "Kept <b>as typed</b>")).status(422);
    let status_field = reply
        .body
        .split(r#"<label for="f-status">"#)
        .nth(1)
        .unwrap()
        .split("</div>")
        .next()
        .unwrap()
        .to_string();
    assert!(
        status_field.contains("completed-before-start"),
        "the message is beside Status: {status_field}"
    );
    assert!(status_field.contains(r#"<option value="completed" selected>"#));
    assert!(
        reply.body.contains("Kept &lt;b&gt;as typed&lt;/b&gt;"),
        "what was typed is kept"
    );
    assert!(reply.body.contains("Not saved"));
    // An unknown partner is told beside Lead.
    let mut unknown = fields("planned", "x");
    unknown[2].1 = "NOBODY".into();
    let reply = send(unknown).status(422);
    let lead_field = reply.body.split(r#"<label for="f-lead">"#).nth(1).unwrap();
    let lead_field = lead_field.split("</div>").next().unwrap();
    assert!(
        lead_field.contains("unknown partner `NOBODY`"),
        "{lead_field}"
    );
    assert_eq!(test.snapshot_files(), before, "nothing written");
    // A form loaded before someone else's change is refused, and shows the action as it is.
    Test::run_in(&test, &["edit", "22", "--scope", "Analysts"]);
    let changed = test.snapshot_files();
    let reply = send(fields("planned", "Mine")).status(409);
    assert!(
        reply.body.contains("changed since it was read"),
        "{}",
        reply.body
    );
    assert!(reply.body.contains("Analysts"), "{}", reply.body);
    assert_eq!(test.snapshot_files(), changed);
}

#[test]
fn the_new_action_form_adds_one() {
    let test = Test::shipped();
    let server = Server::start(&test);
    let page = server.get("/actions/new").status(200);
    assert!(page.body.contains(r#"<button type="submit">Save</button>"#));
    assert!(
        server
            .get("/actions")
            .body
            .contains(r#"href="/actions/new""#)
    );
    let reply = server
        .post_form(
            "/actions/new",
            &[
                ("title", "Drina valley patrols <script>"),
                ("lead", "DCAF"),
                ("locations", "BIH"),
                ("timeline", "Q3 2019"),
                ("status", "planned"),
                ("financing", "TAIEX?"),
                ("notes", "line one\r\nline two"),
            ],
        )
        .status(303);
    assert_eq!(reply.header("location"), Some("/actions/29?saved=1"));
    let shown = Test::run_in(&test, &["show", "29", "--format", "json"]).json();
    assert_eq!(shown["title"], "Drina valley patrols <script>");
    assert_eq!(shown["financing"][0]["tentative"], true);
    assert_eq!(shown["notes"], "line one\nline two");
    let before = test.snapshot_files();
    let refused = server
        .post_form(
            "/actions/new",
            &[
                ("title", "No time"),
                ("lead", "DCAF"),
                ("timeline", "whenever"),
            ],
        )
        .status(422);
    let timeline = refused
        .body
        .split(r#"<label for="f-timeline">"#)
        .nth(1)
        .unwrap();
    assert!(
        timeline
            .split("</div>")
            .next()
            .unwrap()
            .contains("bad-timeline"),
        "{timeline}"
    );
    assert!(refused.body.contains(r#"value="No time""#));
    assert_eq!(test.snapshot_files(), before);
}

#[test]
fn read_only_serves_no_way_to_write() {
    let test = Test::shipped();
    let server = Server::start_with(&test, &["--read-only"]);
    let before = test.snapshot_files();
    let page = server.get("/actions/4").status(200);
    assert!(!page.body.contains("/edit"), "{}", page.body);
    assert!(!server.get("/actions").body.contains("/actions/new"));
    assert!(!page.body.contains("<form method=\"post\""));
    for (method, path) in [
        ("PATCH", "/api/actions/4"),
        ("POST", "/api/actions"),
        ("DELETE", "/api/actions/4"),
        ("POST", "/actions/4/edit"),
        ("POST", "/actions/new"),
    ] {
        let reply = server.request(method, path, &[("Content-Type", "application/json")], "{}");
        assert!(
            matches!(reply.status, 404 | 405),
            "{method} {path}: {}",
            reply.status
        );
    }
    server.get("/actions/4/edit").status(404);
    server.get("/api/session").status(404);
    assert_eq!(test.snapshot_files(), before);
}

#[test]
fn a_huge_or_hostile_body_is_refused_or_kept_whole() {
    let test = Test::shipped();
    let server = Server::start(&test);
    let token = server.csrf();
    let before = test.snapshot_files();
    let huge = format!(r#"{{"notes": "{}"}}"#, "x".repeat(70 * 1024));
    let etag = server.etag("/api/actions/4");
    let reply = server.patch(4, &etag, &huge);
    assert_eq!(reply.status, 413, "{}", reply.body);
    let form = format!("csrf={token}&notes={}", "x".repeat(70 * 1024));
    let reply = server.request(
        "POST",
        "/actions/4/edit",
        &[("Content-Type", "application/x-www-form-urlencoded")],
        &form,
    );
    assert_eq!(reply.status, 413, "{}", reply.body);
    assert_eq!(test.snapshot_files(), before);
    // Control characters and markup are written so that they read back as sent, and
    // shown escaped.
    let hostile = "<script>alert(1)</script> \u{1b}[31mred\u{7f}";
    let json = serde_json::json!({ "title": hostile }).to_string();
    let reply = server.patch(4, &etag, &json).status(200);
    assert_eq!(reply.json()["title"], hostile);
    let page = server.get("/actions/4/edit").status(200);
    assert!(!page.body.contains("<script>alert"), "{}", page.body);
    assert!(!page.body.contains('\u{1b}'));
    Test::run_in(&test, &["validate"]);
}

#[test]
fn the_cli_and_the_server_write_at_once_and_both_land() {
    let test = Test::shipped();
    let server = Server::start(&test);
    let etag = server.etag("/api/actions/4");
    let token = server.csrf();
    let port = server.port;
    let cli = std::thread::scope(|scope| {
        let web = scope.spawn(|| {
            let mut ids = Vec::new();
            for n in 0..5 {
                let json = format!(
                    r#"{{"title": "From the browser {n}", "lead": "DCAF", "timeline": "2019"}}"#
                );
                let reply = server.request(
                    "POST",
                    "/api/actions",
                    &[
                        ("Content-Type", "application/json"),
                        ("X-CSRF-Token", &token),
                    ],
                    &json,
                );
                assert_eq!(reply.status, 201, "{}", reply.body);
                ids.push(reply.json()["id"].as_i64().unwrap());
            }
            ids
        });
        let mut codes = Vec::new();
        for n in 0..5 {
            let out = Test::run_in(
                &test,
                &[
                    "add-action",
                    "--title",
                    &format!("From the terminal {n}"),
                    "--lead",
                    "DCAF",
                    "--timeline",
                    "2019",
                ],
            );
            codes.push((out.code, out.stderr));
        }
        let ids = web.join().unwrap();
        (codes, ids)
    });
    let _ = port;
    for (code, stderr) in &cli.0 {
        assert_eq!(*code, 0, "{stderr}");
    }
    let listed = Test::run_in(&test, &["list", "--format", "json"]).json();
    assert_eq!(
        listed.as_array().unwrap().len(),
        28 + 10,
        "every add landed"
    );
    let mut ids: Vec<i64> = listed
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["id"].as_i64().unwrap())
        .collect();
    ids.dedup();
    assert_eq!(ids.len(), 38, "each took its own id");
    server
        .patch(4, &etag, r#"{"status": "in-progress"}"#)
        .status(200);
    assert_eq!(Test::run_in(&test, &["validate"]).code, 0);
}

#[test]
fn with_commit_each_write_is_one_commit_of_exactly_its_files() {
    let test = Test::repo();
    // Something else changed and staged stays out of the commit.
    let stray = test.data().join("actions/001-joint-operation-drino.yaml");
    let text = std::fs::read_to_string(&stray).unwrap();
    std::fs::write(&stray, format!("{text}# a note by hand\n")).unwrap();
    test.git(&["add", "data/actions/001-joint-operation-drino.yaml"]);
    let server = Server::start_with(&test, &["--commit"]);
    let etag = server.etag("/api/actions/4");
    let reply = server
        .patch(4, &etag, r#"{"status": "in-progress"}"#)
        .status(200);
    let hash = reply.header("x-git-commit").expect("a commit").to_string();
    let log = test.git(&["log", "--format=%H%n%an <%ae>%n%s", "-n", "1"]);
    assert_eq!(
        log,
        format!(
            "{hash}\niisg serve <iisg-serve@localhost>\naction 4: status planned → in-progress\n"
        )
    );
    let files = test.git(&["show", "--name-only", "--format=", "HEAD"]);
    assert_eq!(files, "data/actions/004-joint-operation.yaml\n");
    assert_eq!(test.git(&["rev-list", "--count", "HEAD"]), "2\n");
    let staged = test.git(&["diff", "--cached", "--name-only"]);
    assert_eq!(
        staged, "data/actions/001-joint-operation-drino.yaml\n",
        "left as it was"
    );
    // A new action: its one new file.
    let token = server.csrf();
    server
        .request(
            "POST",
            "/api/actions",
            &[
                ("Content-Type", "application/json"),
                ("X-CSRF-Token", &token),
            ],
            r#"{"title": "Drina patrols", "lead": "DCAF", "timeline": "2019"}"#,
        )
        .status(201);
    assert_eq!(
        test.git(&["show", "--name-only", "--format=%s", "HEAD"]),
        "action 29: added: Drina patrols\n\ndata/actions/029-drina-patrols.yaml\n"
    );
    // A form's change too; a refused one makes no commit.
    let page = server.get("/actions/22/edit").status(200);
    let etag = hidden(&page.body, "etag");
    server
        .post_form(
            "/actions/22/edit",
            &[
                ("etag", &etag),
                ("title", "x"),
                ("lead", "DCAF"),
                ("timeline", "March 2019"),
                ("status", "completed"),
            ],
        )
        .status(422);
    assert_eq!(test.git(&["rev-list", "--count", "HEAD"]), "3\n");
}

#[test]
fn when_the_commit_fails_the_write_stays_and_says_so() {
    let test = Test::shipped();
    let server = Server::start_with(&test, &["--commit"]);
    let etag = server.etag("/api/actions/4");
    let reply = server
        .patch(4, &etag, r#"{"status": "in-progress"}"#)
        .status(200);
    let why = reply
        .header("x-git-commit-error")
        .expect("why there is no commit");
    assert!(why.contains("not inside a git repository"), "{why}");
    assert_eq!(reply.json()["status"], "in-progress", "the write stays");
}

#[test]
fn the_registry_forms_write_as_their_commands_do() {
    let test = Test::shipped();
    let server = Server::start(&test);
    let page = server.get("/partners").status(200);
    for text in [
        r#"<label for="f-code">Code</label>"#,
        r#"<label for="f-name">Name</label>"#,
        r#"<button type="submit">Save</button>"#,
        r#"href="/partners/DCAF""#,
    ] {
        assert!(page.body.contains(text), "{text}:\n{}", page.body);
    }
    server
        .post_form(
            "/partners",
            &[
                ("code", "CTN"),
                ("name", "Counter-Trafficking Network"),
                ("kind", "regional-initiative"),
                ("aliases", "CT Net"),
            ],
        )
        .status(303);
    let cli = Test::shipped();
    Test::run_in(
        &cli,
        &[
            "partner",
            "add",
            "CTN",
            "--name",
            "Counter-Trafficking Network",
            "--kind",
            "regional-initiative",
            "--alias",
            "CT Net",
        ],
    );
    let read = |t: &Test| std::fs::read_to_string(t.data().join("partners.yaml")).unwrap();
    assert_eq!(
        read(&test),
        read(&cli),
        "the same bytes as `iisg partner add`"
    );
    let before = test.snapshot_files();
    let again = server
        .post_form("/partners", &[("code", "CTN"), ("name", "Again")])
        .status(422);
    assert!(again.body.contains("already"), "{}", again.body);
    assert_eq!(test.snapshot_files(), before);
    // An entry's edit: a place moved inside another.
    let edit = server.get("/locations/BIH").status(200);
    let etag = hidden(&edit.body, "etag");
    server
        .post_form(
            "/locations/BIH",
            &[
                ("etag", &etag),
                ("name", "Bosnia and Herzegovina"),
                ("kind", "country"),
                ("within", "WB"),
                ("within", "SEE"),
                ("aliases", "BiH"),
            ],
        )
        .status(303);
    let listed = Test::run_in(&test, &["location", "list", "--format", "json"]).json();
    let bih = listed
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["code"] == "BIH")
        .unwrap()
        .clone();
    assert_eq!(bih["aliases"], serde_json::json!(["BiH"]), "{bih}");
    server
        .post_form("/locations/BIH", &[("etag", &etag), ("name", "Bosnia")])
        .status(409);
}

#[test]
fn the_plan_form_sets_as_of_as_plan_set_does() {
    let test = Test::shipped();
    let server = Server::start(&test);
    let plan = server.get("/plan").status(200);
    assert!(
        plan.body.contains(r#"<label for="f-as_of">As of</label>"#),
        "{}",
        plan.body
    );
    let etag = hidden(&plan.body, "etag");
    let fields = [
        ("etag", etag.as_str()),
        ("title", "IISG Response Action 2018-2019"),
        ("period", "2018-07"),
        ("period_end", "2019-12"),
        ("as_of", "2019-05-14"),
        ("issued", "2019-02-26"),
    ];
    server.post_form("/plan", &fields).status(303);
    let shown = Test::run_in(&test, &["plan", "show", "--format", "json"]).json();
    assert_eq!(shown["as_of"], "2019-05-14");
    let before = test.snapshot_files();
    let etag = hidden(&server.get("/plan").body, "etag");
    let bad = [
        ("etag", etag.as_str()),
        ("title", "T"),
        ("period", "2018-07"),
        ("period_end", "2019-12"),
        ("as_of", "2019-02-30"),
    ];
    let refused = server.post_form("/plan", &bad).status(422);
    let as_of = refused
        .body
        .split(r#"<label for="f-as_of">"#)
        .nth(1)
        .unwrap();
    assert!(
        as_of.split("</div>").next().unwrap().contains("2019-02-30"),
        "{as_of}"
    );
    assert_eq!(test.snapshot_files(), before);
}

/// `iisg serve user add NAME --email E --role R --users FILE`: the token it prints.
fn add_user(test: &Test, users: &std::path::Path, name: &str, role: &str) -> String {
    let email = format!(
        "{}@example.org",
        name.split(' ').next().unwrap().to_lowercase()
    );
    let out = test.run_with(
        &[
            "serve",
            "user",
            "add",
            name,
            "--email",
            &email,
            "--role",
            role,
            "--users",
            users.to_str().unwrap(),
        ],
        &[],
    );
    assert_eq!(out.code, 0, "{}", out.stderr);
    let token = out
        .stdout
        .lines()
        .find_map(|l| l.trim().strip_prefix("iisg-"))
        .unwrap_or_else(|| panic!("no token in {}", out.stdout));
    format!("iisg-{token}")
}

/// Logs in with `token`; the session cookie (`iisg_session=…`).
fn log_in(server: &Server, token: &str, next: &str) -> String {
    let reply = server
        .request(
            "POST",
            "/login",
            &[("Content-Type", "application/x-www-form-urlencoded")],
            &form_urlencoded_pairs(&[("token", token), ("next", next)]),
        )
        .status(303);
    assert_eq!(reply.header("location"), Some(next));
    let cookie = reply.header("set-cookie").expect("a cookie");
    for part in ["HttpOnly", "SameSite=Strict", "Path=/", "Max-Age="] {
        assert!(cookie.contains(part), "{cookie}");
    }
    cookie.split(';').next().unwrap().to_string()
}

#[test]
#[allow(
    clippy::too_many_lines,
    reason = "one walk through logging in, as each role"
)]
fn with_users_only_its_people_come_in_each_as_their_role() {
    let test = Test::repo();
    let place = tempfile::tempdir().unwrap();
    let users = place.path().join("users.yaml");
    let ana = add_user(&test, &users, "Ana Novak", "editor");
    let ben = add_user(&test, &users, "Ben Berg", "viewer");
    let kept = std::fs::read_to_string(&users).unwrap();
    assert!(
        !kept.contains(&ana[5..]) && !kept.contains(&ben[5..]),
        "{kept}"
    );
    assert_eq!(kept.matches("sha256:").count(), 2, "{kept}");
    let listed = test.run_with(
        &["serve", "user", "list", "--users", users.to_str().unwrap()],
        &[],
    );
    assert_eq!(
        listed.stdout,
        "Ana Novak\tana@example.org\teditor\nBen Berg\tben@example.org\tviewer\n"
    );
    let server = Server::start_with(&test, &["--users", users.to_str().unwrap(), "--commit"]);
    // No one is let in without logging in; the login page and the style sheet are open.
    let reply = server.get("/actions?status=completed").status(303);
    assert_eq!(
        reply.header("location"),
        Some("/login?next=%2Factions%3Fstatus%3Dcompleted")
    );
    for path in [
        "/api/actions",
        "/api/session",
        "/api/actions/4",
        "/api/findings",
    ] {
        let reply = server.get(path).status(401);
        assert!(reply.header("www-authenticate").is_some());
        assert!(!reply.body.contains("Joint Operation"), "{}", reply.body);
    }
    server.get("/assets/style.css").status(200);
    let page = server.get("/login").status(200);
    assert!(
        page.body.contains(r#"<label for="token">Token</label>"#),
        "{}",
        page.body
    );
    // A wrong token, a guess at another's hash, a page of another site: no one comes in.
    let before = test.snapshot_files();
    for token in ["iisg-00", "", &kept[kept.find("sha256:").unwrap()..][..71]] {
        let reply = server
            .request(
                "POST",
                "/login",
                &[("Content-Type", "application/x-www-form-urlencoded")],
                &form_urlencoded_pairs(&[("token", token)]),
            )
            .status(401);
        assert!(reply.header("set-cookie").is_none());
        assert!(reply.body.contains("lets no one in"), "{}", reply.body);
    }
    server
        .request(
            "POST",
            "/login",
            &[
                ("Content-Type", "application/x-www-form-urlencoded"),
                ("Origin", "http://evil.example"),
            ],
            &form_urlencoded_pairs(&[("token", &ana)]),
        )
        .status(403);
    let bad = format!("Bearer {}", &ana[..ana.len() - 1]);
    server
        .request("GET", "/api/actions", &[("Authorization", &bad)], "")
        .status(401);
    // Ana, an editor: her name on every page, her own token, her change her commit.
    let cookie = log_in(&server, &ana, "/actions/4");
    let as_ana = [("Cookie", cookie.as_str())];
    let page = server.request("GET", "/actions/4", &as_ana, "").status(200);
    assert!(page.body.contains("Ana Novak (editor)"), "{}", page.body);
    assert!(page.body.contains("Log out") && page.body.contains("/actions/4/edit"));
    let session = server
        .request("GET", "/api/session", &as_ana, "")
        .status(200)
        .json();
    assert_eq!(session["user"]["role"], "editor");
    let csrf = session["csrf"].as_str().unwrap().to_string();
    let etag = server
        .request("GET", "/api/actions/4", &as_ana, "")
        .status(200)
        .header("etag")
        .unwrap()
        .to_string();
    let patch = |cookie: &str, csrf: &str| {
        server.request(
            "PATCH",
            "/api/actions/4",
            &[
                ("Cookie", cookie),
                ("Content-Type", "application/json"),
                ("X-CSRF-Token", csrf),
                ("If-Match", &etag),
            ],
            r#"{"status": "in-progress"}"#,
        )
    };
    // Another session's token, or none, is refused.
    let other = log_in(&server, &ana, "/");
    let other_csrf = server
        .request("GET", "/api/session", &[("Cookie", &other)], "")
        .json()["csrf"]
        .as_str()
        .unwrap()
        .to_string();
    assert_ne!(other_csrf, csrf);
    patch(&cookie, &other_csrf).status(403);
    patch(&cookie, "").status(403);
    assert_eq!(test.snapshot_files(), before);
    patch(&cookie, &csrf).status(200);
    let log = test.git(&["log", "--format=%an <%ae>%n%s", "-n", "1"]);
    assert_eq!(
        log,
        "Ana Novak <ana@example.org>\naction 4: status planned → in-progress\n"
    );
    // Ben, a viewer: reads everything, by session or by his token as a script; changes
    // nothing, and is offered no way to.
    let as_ben = format!("Bearer {ben}");
    let api = server
        .request("GET", "/api/actions", &[("Authorization", &as_ben)], "")
        .status(200);
    assert!(api.body.contains("Joint Operation"));
    let cookie_ben = log_in(&server, &ben, "/");
    let page = server
        .request("GET", "/actions/4", &[("Cookie", &cookie_ben)], "")
        .status(200);
    assert!(page.body.contains("Ben Berg (viewer)"), "{}", page.body);
    assert!(!page.body.contains("/actions/4/edit"), "{}", page.body);
    for path in ["/actions/4/edit", "/actions/new", "/partners/DCAF"] {
        server
            .request("GET", path, &[("Cookie", &cookie_ben)], "")
            .status(403);
    }
    let ben_csrf = server
        .request("GET", "/api/session", &[("Authorization", &as_ben)], "")
        .json()["csrf"]
        .as_str()
        .unwrap()
        .to_string();
    let after = test.snapshot_files();
    let reply = server
        .request(
            "PATCH",
            "/api/actions/4",
            &[
                ("Authorization", &as_ben),
                ("Content-Type", "application/json"),
                ("X-CSRF-Token", &ben_csrf),
                ("If-Match", "\"x\""),
            ],
            r#"{"status": "completed"}"#,
        )
        .status(403);
    assert!(
        reply.json()["error"]
            .as_str()
            .unwrap()
            .contains("not change it")
    );
    assert_eq!(test.snapshot_files(), after);
    // Taken out of the file, Ben is out at once, session and token alike.
    let out = test.run_with(
        &[
            "serve",
            "user",
            "remove",
            "Ben Berg",
            "--users",
            users.to_str().unwrap(),
        ],
        &[],
    );
    assert_eq!(out.code, 0, "{}", out.stderr);
    server
        .request("GET", "/api/actions", &[("Authorization", &as_ben)], "")
        .status(401);
    server
        .request("GET", "/actions", &[("Cookie", &cookie_ben)], "")
        .status(303);
    // Logging out ends the session; the other one lives on.
    let out = server
        .request(
            "POST",
            "/logout",
            &[
                ("Cookie", &cookie),
                ("Content-Type", "application/x-www-form-urlencoded"),
            ],
            &form_urlencoded_pairs(&[("csrf", &csrf)]),
        )
        .status(303);
    assert!(out.header("set-cookie").unwrap().contains("Max-Age=0"));
    server.request("GET", "/actions", &as_ana, "").status(303);
    server
        .request("GET", "/actions", &[("Cookie", &other)], "")
        .status(200);
}

#[test]
fn with_users_it_may_answer_beyond_this_machine_by_its_names() {
    let test = Test::shipped();
    let place = tempfile::tempdir().unwrap();
    let users = place.path().join("users.yaml");
    let ana = add_user(&test, &users, "Ana Novak", "editor");
    let server = Server::start_with(
        &test,
        &[
            "--bind",
            "0.0.0.0:0",
            "--users",
            users.to_str().unwrap(),
            "--host",
            "Plan.Example.org",
        ],
    );
    assert!(
        server.first_line.contains("at http://0.0.0.0:"),
        "{}",
        server.first_line
    );
    let port = server.port;
    let bearer = format!("Bearer {ana}");
    let ask = |host: &str| {
        server.send(&format!(
            "GET /api/actions HTTP/1.1\r\nHost: {host}\r\nAuthorization: {bearer}\r\nConnection: close\r\n\r\n"
        ))
    };
    for host in [
        format!("127.0.0.1:{port}"),
        format!("10.1.2.3:{port}"),
        format!("[fe80::1]:{port}"),
        "plan.example.org".into(),
        "plan.example.org:443".into(),
    ] {
        ask(&host).status(200);
    }
    for host in [
        format!("evil.example:{port}"),
        "10.1.2.3:1".to_string(),
        "plan.example.org.evil.example".into(),
    ] {
        ask(&host).status(421);
    }
}

#[test]
fn a_users_file_that_cannot_be_used_is_refused_and_left_as_it_was() {
    let test = Test::shipped();
    let place = tempfile::tempdir().unwrap();
    let users = place.path().join("users.yaml");
    let path = users.to_str().unwrap();
    for (name, email) in [
        ("Ana <x>", "a@example.org"),
        ("Ana", "no-at"),
        ("", "a@b.org"),
    ] {
        let out = test.run_with(
            &[
                "serve", "user", "add", name, "--email", email, "--role", "editor", "--users", path,
            ],
            &[],
        );
        assert_eq!(out.code, 2, "{name} {email}: {}", out.stderr);
        assert!(!users.exists());
    }
    let out = test.run_with(&["serve", "--users", path], &[]);
    assert_eq!(out.code, 2);
    assert!(
        out.stderr.contains("cannot use the users file"),
        "{}",
        out.stderr
    );
    std::fs::write(
        &users,
        "users:\n  - name: A\n    email: a@b.org\n    role: admin\n    token: x\n",
    )
    .unwrap();
    let out = test.run_with(&["serve", "--users", path, "--bind", "127.0.0.1:0"], &[]);
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert!(out.stdout.is_empty());
    let out = test.run_with(&["serve", "user", "remove", "Nobody", "--users", path], &[]);
    assert_eq!(out.code, 2);
    assert!(std::fs::read_to_string(&users).unwrap().contains("admin"));
}

#[test]
fn annex_1_the_logframe_the_timeline_and_an_actions_history_have_pages() {
    let test = Test::repo();
    let server = Server::start(&test);
    let annex = server.get("/annex").status(200);
    let coverage = Test::run_in(&test, &["report", "--coverage", "--format", "json"]).json();
    let needs = coverage["needs"]
        .as_array()
        .unwrap_or_else(|| panic!("{coverage}"));
    assert!(needs.len() > 20);
    for need in needs {
        let id = need["need"].as_str().unwrap();
        assert!(
            annex
                .body
                .contains(&format!(r#"<li id="{id}"><strong>{id}</strong>"#)),
            "{id}"
        );
    }
    assert!(
        annex.body.contains(r#"<a href="/actions/1">1</a>"#),
        "{}",
        annex.body
    );
    // Each need nothing answers is marked so, and no other.
    let empty = |n: &serde_json::Value, key: &str| n[key].as_array().is_none_or(Vec::is_empty);
    let gaps = needs
        .iter()
        .filter(|n| empty(n, "actions") && empty(n, "logframe"))
        .count();
    assert!(gaps > 0, "the shipped plan has needs nothing answers");
    assert_eq!(
        annex.body.matches("(answered by nothing yet)").count(),
        gaps
    );
    let logframe = server.get("/logframe").status(200);
    for row in std::fs::read_dir(test.data().join("logframe")).unwrap() {
        let text = std::fs::read_to_string(row.unwrap().path()).unwrap();
        let outcome: String = text
            .lines()
            .find_map(|l| l.strip_prefix("outcome: "))
            .unwrap()
            .chars()
            .take(30)
            .collect();
        let outcome = outcome.replace('&', "&amp;").replace('"', "&quot;");
        assert!(logframe.body.contains(&outcome), "{outcome}");
    }
    let timeline = server.get("/report/timeline").status(200);
    assert_eq!(timeline.body.matches("<g data-id=").count(), 28);
    assert!(
        timeline
            .body
            .contains(r#"aria-label="Timeline of the actions by month""#)
    );
    // In git, an action's page tells its history as `iisg log` does.
    let four = server.get("/actions/4").status(200);
    assert!(four.body.contains("<h2>History</h2>"), "{}", four.body);
    let log = Test::run_in(&test, &["log", "4", "--format", "json"]).json();
    let subject = log[0]["subject"]
        .as_str()
        .unwrap_or_else(|| panic!("{log}"));
    assert!(four.body.contains(subject), "{subject}: {}", four.body);
}

#[test]
fn the_logframe_form_adds_a_row_as_add_logframe_does() {
    let test = Test::shipped();
    let server = Server::start(&test);
    let form = server.get("/logframe/new").status(200);
    for label in [
        "Outcome",
        "Objective 1",
        "Outputs of objective 1",
        "Addresses",
        "Notes",
    ] {
        assert!(
            form.body.contains(&format!(">{label}</label>")),
            "{label}: {}",
            form.body
        );
    }
    assert!(
        server
            .get("/logframe")
            .body
            .contains(r#"href="/logframe/new""#)
    );
    // Refused, field by field: nothing written.
    let before = test.snapshot_files();
    let reply = server
        .post_form(
            "/logframe/new",
            &[
                ("outcome", " "),
                ("outputs-2", "An output"),
                ("addresses", "BP-99"),
            ],
        )
        .status(422);
    for said in [
        "an outcome is needed",
        "need the objective they belong to",
        "BP-99",
    ] {
        assert!(reply.body.contains(said), "{said}: {}", reply.body);
    }
    assert_eq!(test.snapshot_files(), before);
    // Added: the file add-logframe writes, given the same.
    let reply = server
        .post_form(
            "/logframe/new",
            &[
                ("outcome", "Better cooperation\non the  border"),
                ("objective-1", "Joint patrols"),
                ("outputs-1", "Patrol plan\n\n  Twelve patrols  \n"),
                ("objective-2", "Shared data"),
                ("addresses", "BP-3"),
                ("addresses", "BP-1"),
            ],
        )
        .status(303);
    let to = reply.header("location").unwrap().to_string();
    assert!(to.starts_with("/logframe?saved=1"), "{to}");
    let other = Test::shipped();
    let out = other.run_with(
        &[
            "add-logframe",
            "--outcome",
            "Better cooperation on the border",
            "--objective",
            "Joint patrols",
            "--output",
            "Patrol plan",
            "--output",
            "Twelve patrols",
            "--objective",
            "Shared data",
            "--addresses",
            "BP-3",
            "--addresses",
            "BP-1",
        ],
        &[],
    );
    assert_eq!(out.code, 0, "{}", out.stderr);
    let name = "logframe/17-better-cooperation-on-the-border.yaml";
    assert_eq!(
        std::fs::read_to_string(test.data().join(name)).unwrap(),
        std::fs::read_to_string(other.data().join(name)).unwrap()
    );
    let rows = server.get(&to).status(200);
    assert!(rows.body.contains("Better cooperation on the border"));
    assert!(rows.body.contains("Saved"), "{}", rows.body);
    // A viewer's server: no form at all.
    let read_only = Server::start_with(&test, &["--read-only"]);
    read_only.get("/logframe/new").status(404);
    assert!(!read_only.get("/logframe").body.contains("/logframe/new"));
}

#[test]
fn a_registry_entry_is_renamed_or_removed_from_its_page_as_the_commands_do() {
    let test = Test::shipped();
    let server = Server::start(&test);
    let page = server.get("/partners/DCAF").status(200);
    for said in [
        r#"action="/partners/DCAF/rename""#,
        ">New code</label>",
        ">Rename</button>",
        ">Remove DCAF</button>",
    ] {
        assert!(page.body.contains(said), "{said}: {}", page.body);
    }
    // Rename: the files are those `iisg partner rename` writes.
    let reply = server
        .post_form("/partners/DCAF/rename", &[("new", "DCAF-GE")])
        .status(303);
    assert!(
        reply
            .header("location")
            .unwrap()
            .starts_with("/partners?saved=1")
    );
    let other = Test::shipped();
    let out = other.run_with(&["partner", "rename", "DCAF", "DCAF-GE"], &[]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_eq!(plan_files(&test), plan_files(&other));
    // Remove: refused while anything names it, with what does; nothing written.
    let before = test.snapshot_files();
    for (path, new) in [
        ("/partners/EUROPOL/remove", ""),
        ("/partners/EUROPOL/rename", "FRONTEX"),
        ("/partners/EUROPOL/rename", ""),
    ] {
        let reply = server.post_form(path, &[("new", new)]);
        assert!(
            matches!(reply.status, 409 | 422 | 400),
            "{path} {new}: {}",
            reply.status
        );
        assert!(reply.body.contains("EUROPOL"), "{}", reply.body);
    }
    let refused = server.post_form("/partners/EUROPOL/remove", &[]);
    assert!(refused.body.contains("action 9"), "{}", refused.body);
    assert_eq!(test.snapshot_files(), before);
    // An entry nothing names goes.
    assert_eq!(
        test.run_with(&["partner", "add", "NOBODY", "--name", "No one yet"], &[])
            .code,
        0
    );
    server.post_form("/partners/NOBODY/remove", &[]).status(303);
    assert!(
        !std::fs::read_to_string(test.data().join("partners.yaml"))
            .unwrap()
            .contains("NOBODY")
    );
    server
        .post_form("/partners/NOBODY/unknown", &[])
        .status(404);
}

#[test]
fn an_action_is_removed_after_asking_or_by_delete_with_if_match() {
    let test = Test::shipped();
    let server = Server::start(&test);
    assert!(
        server
            .get("/actions/28")
            .body
            .contains(r#"href="/actions/28/remove""#)
    );
    let ask = server.get("/actions/28/remove").status(200);
    assert!(ask.body.contains(">Remove</button>") && ask.body.contains("iisg remove 28"));
    let etag = hidden(&ask.body, "etag");
    // A stale form, and DELETE without If-Match or with an old one: nothing removed.
    let before = test.snapshot_files();
    server
        .post_form("/actions/28/remove", &[("etag", "\"0\"")])
        .status(409);
    let token = server.csrf();
    let delete = |etag: Option<&str>| {
        let mut headers = vec![("X-CSRF-Token", token.as_str())];
        if let Some(etag) = etag {
            headers.push(("If-Match", etag));
        }
        server.request("DELETE", "/api/actions/27", &headers, "")
    };
    delete(None).status(428);
    delete(Some("\"0\"")).status(412);
    server
        .request("DELETE", "/api/actions/27", &[("If-Match", "*")], "")
        .status(403);
    assert_eq!(test.snapshot_files(), before);
    // Asked and answered: the file goes, as `iisg remove 28 --yes` removes it.
    let reply = server
        .post_form("/actions/28/remove", &[("etag", &etag)])
        .status(303);
    let to = reply.header("location").unwrap().to_string();
    assert!(to.starts_with("/actions?saved=1"), "{to}");
    let list = server.get(&to).status(200);
    assert!(
        list.body.contains("Saved.") && list.body.contains("27 actions."),
        "{}",
        list.body
    );
    let tag27 = server.etag("/api/actions/27");
    delete(Some(&tag27)).status(204);
    server.get("/api/actions/27").status(404);
    let other = Test::shipped();
    for id in ["28", "27"] {
        assert_eq!(other.run_with(&["remove", id, "--yes"], &[]).code, 0);
    }
    assert_eq!(plan_files(&test), plan_files(&other));
}

/// The plan's files, by their paths inside the plan's folder: two plans compared.
fn plan_files(test: &Test) -> Vec<(std::path::PathBuf, Vec<u8>)> {
    let root = test.data();
    test.snapshot_files()
        .into_iter()
        .map(|(p, b)| (p.strip_prefix(&root).unwrap().to_path_buf(), b))
        .collect()
}

#[test]
fn the_progress_form_reports_a_value_as_progress_add_does() {
    let indicator = [
        "indicator",
        "add",
        "--logframe",
        "2",
        "--text",
        "Mixed patrols held",
        "--unit",
        "patrols",
        "--baseline",
        "0",
        "--baseline-year",
        "2018",
        "--target",
        "12",
        "--target-year",
        "2019",
    ];
    let (test, other) = (Test::shipped(), Test::shipped());
    for t in [&test, &other] {
        let out = t.run_with(&indicator, &[]);
        assert_eq!(out.code, 0, "{}", out.stderr);
    }
    let server = Server::start(&test);
    assert!(
        server
            .get("/logframe")
            .body
            .contains(r#"href="/logframe/2/progress""#)
    );
    let form = server.get("/logframe/2/progress").status(200);
    for label in ["Indicator", "Period", "Value", "Source", "Date", "Note"] {
        assert!(form.body.contains(&format!(">{label}</label>")), "{label}");
    }
    assert!(form.body.contains("1 — Mixed patrols held"));
    let before = test.snapshot_files();
    let reply = server
        .post_form(
            "/logframe/2/progress",
            &[
                ("indicator", "1"),
                ("period", "2019-Q5"),
                ("value", " "),
                ("date", "soon"),
            ],
        )
        .status(422);
    for said in ["is not a period", "a value is needed", "is not a day"] {
        assert!(reply.body.contains(said), "{said}: {}", reply.body);
    }
    server.post_form(
        "/logframe/2/progress",
        &[("indicator", "2"), ("period", "2019-Q2"), ("value", "5")],
    );
    assert_eq!(test.snapshot_files(), before);
    let sent = [
        ("indicator", "1"),
        ("period", "2019-Q2"),
        ("value", "5"),
        ("source", "JOO quarterly report"),
        ("date", "2019-07-05"),
    ];
    server.post_form("/logframe/2/progress", &sent).status(303);
    let out = other.run_with(
        &[
            "progress",
            "add",
            "--logframe",
            "2",
            "--indicator",
            "1",
            "--period",
            "2019-Q2",
            "--value",
            "5",
            "--source",
            "JOO quarterly report",
            "--date",
            "2019-07-05",
        ],
        &[],
    );
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_eq!(plan_files(&test), plan_files(&other));
    // Twice for one period is refused, as the command refuses it.
    let again = server.post_form("/logframe/2/progress", &sent);
    assert!(
        again.status >= 400 && again.body.contains("already"),
        "{}",
        again.body
    );
    assert_eq!(plan_files(&test), plan_files(&other));
}
