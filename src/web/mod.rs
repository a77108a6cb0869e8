//! The web surface beside `command/`: `iisg serve`'s routes, each a thin adapter over the
//! functions the commands call, as a subcommand is.
//!
//! The pages and the API answer from the plan kept in memory ([`live`]), which re-reads,
//! under the shared lock the reading commands take, only the files that changed; the forms
//! and writes read the plan afresh under the lock. The API's bodies are the bytes the
//! matching `--format json` prints.

mod api;
mod api_write;
mod form;
mod forms;
mod guard;
mod live;
mod page;
mod pages;
mod progress;
mod query;
mod registries;
mod rows;
mod session;
mod stream;
pub mod users;
mod widget;
mod write;

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::extract::Request;
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::service::TowerToHyperService;
use tokio::signal::unix::{SignalKind, signal};
use tower_http::limit::RequestBodyLimitLayer;
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::timeout::TimeoutLayer;

use crate::error::Error;
use crate::store::{self, DataDir, Lock};

/// The largest request head (request line and headers) read: hyper answers 431 past it.
const MAX_HEAD: usize = 16 * 1024;
/// The largest request body taken: a form or a JSON object of one record.
const MAX_BODY: usize = 64 * 1024;
/// How long a client may take to send its request head.
const HEAD_TIMEOUT: Duration = Duration::from_secs(10);
/// How many requests are worked on at once (reading, rendering, waiting for the lock).
const BLOCKING_THREADS: usize = 4;
/// How long a request may take in all, waiting for the plan's lock included.
const REQUEST_TIMEOUT: Duration = Duration::from_secs(30);

/// No script, style, font or image from anywhere but this server; no inline script; no
/// framing; forms post only here.
const CSP: &str = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; \
                   object-src 'none'; base-uri 'none'; form-action 'self'; \
                   frame-ancestors 'none'";

/// What the server serves: the plan's folder and the address it answers on.
#[derive(Debug)]
pub struct Site {
    /// The plan's folder, found as every command finds it.
    pub dir: DataDir,
    /// The address bound, with the real port.
    pub addr: SocketAddr,
    /// How long a request waits for the plan's lock.
    pub lock_timeout: Duration,
    /// `--read-only`: no way to write is served at all.
    pub read_only: bool,
    /// `--commit`: each write becomes a git commit of the files it changed.
    pub commit: bool,
    /// This run's token, which every unsafe request must carry (without `--users`; with,
    /// each session has its own).
    pub csrf: String,
    /// The plan's title when the server started, for the login page.
    pub title: String,
    /// `--users FILE`: who may come in; none lets in whoever reaches the loopback address.
    pub users: Option<users::Kept>,
    /// `--host NAME`: other names the server answers to, with `--users`.
    pub hosts: Vec<String>,
    /// The sessions of those logged in.
    sessions: session::Sessions,
    /// The versions of records handed out, to tell a late writer what changed.
    seen: write::Seen,
    /// The plan in memory, re-read where its files change.
    cache: live::Cache,
}

/// Who may come in, and by which names: `--users` and `--host`.
#[derive(Debug, Default)]
pub struct Access {
    /// The users file, read.
    pub users: Option<users::Kept>,
    /// Names besides the address itself.
    pub hosts: Vec<String>,
    /// The plan's title.
    pub title: String,
}

impl Site {
    /// A site over `dir`, answering at `addr`, with a new token; the plan is read and its
    /// folder watched.
    ///
    /// # Errors
    /// When the operating system gives no randomness for the token, or the plan's lock is
    /// not had in time.
    pub fn new(
        dir: DataDir,
        addr: SocketAddr,
        lock_timeout: Duration,
        (read_only, commit): (bool, bool),
        access: Access,
    ) -> Result<Self, Error> {
        Ok(Self {
            cache: live::Cache::new(dir.clone(), lock_timeout)?,
            dir,
            addr,
            lock_timeout,
            read_only,
            commit,
            csrf: guard::token()?,
            title: access.title,
            users: access.users,
            hosts: access
                .hosts
                .into_iter()
                .map(|h| h.to_ascii_lowercase())
                .collect(),
            sessions: session::Sessions::default(),
            seen: write::Seen::default(),
        })
    }

    /// Who is asking, in the request being answered.
    fn visitor(&self) -> session::Visitor {
        session::current(self)
    }

    /// Refuses a form to someone who may not write.
    fn needs_writer(&self) -> Result<(), Failure> {
        if self.visitor().can_write {
            return Ok(());
        }
        Err(Failure {
            status: StatusCode::FORBIDDEN,
            error: "you may read this plan but not change it".into(),
            help: Some("ask whoever runs the server for the editor role".into()),
        })
    }

    /// Whether `authority` (a `Host` header, or an `Origin` without its scheme) names this
    /// server: `127.0.0.1`, `localhost` or `[::1]` with its port; with `--users`, also any
    /// address written as digits with its port (a page elsewhere can rebind only a name) and
    /// the names given with `--host`, with any port.
    fn is_ours(&self, authority: &str) -> bool {
        let authority = authority.to_ascii_lowercase();
        let (name, port) = match authority.rsplit_once(':') {
            Some((name, port)) if !name.ends_with(':') && !port.contains(']') => {
                (name, port.parse::<u16>().ok())
            }
            _ => (authority.as_str(), None),
        };
        let here = port == Some(self.addr.port());
        if here && ["127.0.0.1", "localhost", "[::1]"].contains(&name) {
            return true;
        }
        if self.users.is_none() {
            return false;
        }
        let literal = name.parse::<std::net::Ipv4Addr>().is_ok()
            || name
                .strip_prefix('[')
                .and_then(|n| n.strip_suffix(']'))
                .is_some_and(|n| n.parse::<std::net::Ipv6Addr>().is_ok());
        (here && literal) || self.hosts.iter().any(|h| h == name)
    }

    /// Why the plan's folder is not watched (every request then stats its files), when it
    /// is not.
    #[must_use]
    pub fn unwatched(&self) -> Option<&str> {
        self.cache.unwatched()
    }

    /// The plan's shared lock, as a reading command takes it.
    fn read_lock(&self) -> Result<Lock, Error> {
        Ok(self.dir.read_lock(store::Wait {
            timeout: self.lock_timeout,
            waiting: &mut |_| {},
        })?)
    }
}

/// A server bound and ready: its runtime and the signals that stop it are set up, so that
/// a signal that comes as soon as the address is told stops it cleanly.
pub struct Server {
    runtime: tokio::runtime::Runtime,
    listener: std::net::TcpListener,
    site: Arc<Site>,
    stop: std::sync::mpsc::Receiver<()>,
}

impl Server {
    /// Sets up the runtime and the handlers of SIGINT (Ctrl-C) and SIGTERM.
    ///
    /// # Errors
    /// When the runtime or the signal handlers cannot be set up.
    pub fn new(listener: std::net::TcpListener, site: Site) -> Result<Self, Error> {
        listener.set_nonblocking(true)?;
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            // Requests render from the plan in memory: a few threads keep the cores busy,
            // and the rest wait their turn in order, rather than fifty threads taking
            // turns on two cores (which makes the slowest answers ten times the median).
            .max_blocking_threads(BLOCKING_THREADS)
            .enable_all()
            .build()?;
        let (tell, stop) = std::sync::mpsc::channel();
        {
            let _entered = runtime.enter();
            for kind in [SignalKind::interrupt(), SignalKind::terminate()] {
                let mut signals = signal(kind)?;
                let tell = tell.clone();
                runtime.spawn(async move {
                    signals.recv().await;
                    let _ = tell.send(());
                });
            }
        }
        Ok(Self {
            runtime,
            listener,
            site: Arc::new(site),
            stop,
        })
    }

    /// Answers requests until SIGINT or SIGTERM; then stops, leaving requests under way a
    /// second to finish.
    ///
    /// # Errors
    /// When the listening socket cannot be handed to the runtime.
    pub fn run(self) -> Result<(), Error> {
        let app = router(self.site);
        let listener = {
            let _entered = self.runtime.enter();
            tokio::net::TcpListener::from_std(self.listener)?
        };
        self.runtime.spawn(accept(listener, app));
        // Every sender lives in a signal task: a closed channel means a signal came too.
        let _ = self.stop.recv();
        self.runtime.shutdown_timeout(Duration::from_secs(1));
        Ok(())
    }
}

/// Takes connections and serves each on a task of its own, with hyper's limits on the
/// request head.
async fn accept(listener: tokio::net::TcpListener, app: Router) {
    loop {
        // Out of file descriptors, or a connection reset before it was taken: wait a little
        // rather than spin.
        let Ok((stream, _)) = listener.accept().await else {
            tokio::time::sleep(Duration::from_millis(50)).await;
            continue;
        };
        let service = TowerToHyperService::new(app.clone());
        tokio::spawn(async move {
            let _ = hyper::server::conn::http1::Builder::new()
                .timer(TokioTimer::new())
                .header_read_timeout(HEAD_TIMEOUT)
                .max_buf_size(MAX_HEAD)
                .serve_connection(TokioIo::new(stream), service)
                .await;
        });
    }
}

/// Every route, behind the checks every request passes.
fn router(site: Arc<Site>) -> Router {
    let headers = [
        (header::CONTENT_SECURITY_POLICY, CSP),
        (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
        // Not `no-referrer`: under it a browser sends `Origin: null` with a form, which the
        // origin check must refuse. `same-origin` tells other sites nothing.
        (header::REFERRER_POLICY, "same-origin"),
        (header::X_FRAME_OPTIONS, "DENY"),
        (header::CACHE_CONTROL, "no-store"),
    ];
    // `--read-only` mounts no write route at all: a write is then 404 or 405.
    let writes = if site.read_only {
        registries::routes()
    } else {
        api_write::routes()
            .merge(forms::routes())
            .merge(rows::routes())
            .merge(progress::routes())
            .merge(registries::write_routes())
    };
    let mut router = writes
        .merge(api::routes())
        .merge(session::routes())
        .merge(live::routes())
        .merge(pages::routes())
        .with_state(Arc::clone(&site));
    if !site.read_only || site.users.is_some() {
        router = router.layer(middleware::from_fn_with_state(
            Arc::clone(&site),
            guard::unsafe_needs_token,
        ));
    }
    router = router
        .layer(middleware::from_fn_with_state(
            Arc::clone(&site),
            session::identify,
        ))
        .layer(middleware::from_fn_with_state(site, only_our_host))
        .layer(RequestBodyLimitLayer::new(MAX_BODY))
        .layer(TimeoutLayer::with_status_code(
            StatusCode::REQUEST_TIMEOUT,
            REQUEST_TIMEOUT,
        ));
    for (name, value) in headers {
        router = router.layer(SetResponseHeaderLayer::overriding(
            name,
            HeaderValue::from_static(value),
        ));
    }
    router
}

/// Answers only a request whose `Host` names this server: a page elsewhere that points
/// its own name at 127.0.0.1 (DNS rebinding) gets 421, and reads nothing.
async fn only_our_host(
    axum::extract::State(site): axum::extract::State<Arc<Site>>,
    request: Request,
    next: Next,
) -> Response {
    let host = request
        .headers()
        .get(header::HOST)
        .and_then(|h| h.to_str().ok());
    let port = site.addr.port();
    if host.is_some_and(|host| site.is_ours(host)) {
        return next.run(request).await;
    }
    let (status, error) = match host {
        None => (
            StatusCode::BAD_REQUEST,
            "the request names no `Host`".to_string(),
        ),
        Some(host) => (
            StatusCode::MISDIRECTED_REQUEST,
            format!(
                "this server answers as `127.0.0.1:{port}` or `localhost:{port}`, not `{host}`"
            ),
        ),
    };
    let failure = Failure {
        status,
        error,
        help: Some(format!("open http://127.0.0.1:{port}/")),
    };
    if request.uri().path().starts_with("/api/") {
        api::failure(&failure)
    } else {
        pages::failure(&failure)
    }
}

/// Why a request was not answered, as the API and the pages tell it.
#[derive(Clone, Debug)]
struct Failure {
    status: StatusCode,
    error: String,
    help: Option<String>,
}

impl From<Error> for Failure {
    fn from(error: Error) -> Self {
        let status = match &error {
            Error::NoSuchAction(_) => StatusCode::NOT_FOUND,
            Error::UnknownCode { .. } | Error::BadArgument(_) | Error::Missing(_) => {
                StatusCode::BAD_REQUEST
            }
            Error::Refused { .. } | Error::Rejected { .. } | Error::Patch(_) => {
                StatusCode::UNPROCESSABLE_ENTITY
            }
            // Someone wrote the file between the read and the write.
            Error::Write(store::WriteError::Changed(_) | store::WriteError::Exists(_)) => {
                StatusCode::CONFLICT
            }
            // The lock was not had in time: another command is writing.
            Error::Write(_) => StatusCode::SERVICE_UNAVAILABLE,
            _ => StatusCode::INTERNAL_SERVER_ERROR,
        };
        Self {
            status,
            help: error.help(),
            error: error.to_string(),
        }
    }
}

impl Failure {
    /// No such page.
    fn not_found(what: &str) -> Self {
        Self {
            status: StatusCode::NOT_FOUND,
            error: format!("no page is at `{what}`"),
            help: Some("the plan's pages start at `/`".into()),
        }
    }
}

/// Runs `work` on a thread that may block (reading files, waiting for the lock).
async fn blocking<T: Send + 'static>(
    site: Arc<Site>,
    work: impl FnOnce(&Site) -> Result<T, Failure> + Send + 'static,
) -> Result<T, Failure> {
    // The visitor goes with the work to its thread, for the pages and forms to ask.
    let visitor = site.visitor();
    tokio::task::spawn_blocking(move || session::VISITOR.sync_scope(visitor, || work(&site)))
        .await
        .unwrap_or_else(|e| {
            Err(Failure {
                status: StatusCode::INTERNAL_SERVER_ERROR,
                error: format!("the request failed: {e}"),
                help: None,
            })
        })
}

/// An HTML page with its status.
fn html_page(status: StatusCode, markup: &maud::Markup) -> Response {
    typed(
        status,
        "text/html; charset=utf-8",
        markup.clone().into_string(),
    )
}

/// A body with its content type.
fn typed(status: StatusCode, content_type: &'static str, body: String) -> Response {
    (status, [(header::CONTENT_TYPE, content_type)], body).into_response()
}
