//! `iisg serve`: the real binary on a free port, asked over real HTTP by a tiny client.

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
        let mut child = Command::new(env!("CARGO_BIN_EXE_iisg"))
            .args(["serve", "--bind", "127.0.0.1:0"])
            .args(flags)
            .current_dir(test.data().parent().unwrap())
            .env_remove("IISG_DATA")
            .env("NO_COLOR", "1")
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
        assert!(
            !headers
                .iter()
                .any(|(k, v)| k == "transfer-encoding" && v.contains("chunked")),
            "the tiny client reads no chunked body"
        );
        Self {
            status,
            headers,
            body: body.to_string(),
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
            Some("no-referrer"),
            "{path}"
        );
        assert_eq!(reply.header("x-frame-options"), Some("DENY"), "{path}");
    }
    // No page asks for anything from elsewhere: no script at all, no absolute URL.
    for path in ["/", "/actions", "/actions/4", "/findings"] {
        let body = server.get(path).body;
        assert!(!body.contains("<script"), "{path}");
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
        "/actions?search=%3Cscript%3E",
    ] {
        let body = server.get(path).status(200).body;
        assert!(!body.contains("<script"), "{path}: {body}");
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
fn read_only_is_accepted_and_changes_nothing_yet() {
    let test = Test::shipped();
    let server = Server::start_with(&test, &["--read-only"]);
    assert!(
        server.first_line.starts_with("serving "),
        "{}",
        server.first_line
    );
    server.get("/actions").status(200);
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
