//! Who is asking: with `--users FILE`, a person logged in with their token (then a session
//! cookie), or a script sending it as `Authorization: Bearer …`; without, whoever can reach
//! the loopback address.
//!
//! The session cookie is `HttpOnly` (no script reads it) and `SameSite=Strict` (no other
//! site's page sends it); its value is 32 random bytes, known only to the server's memory,
//! so a restart logs everyone out. Each session has its own CSRF token. A session ends
//! after [`SESSION_AGE`], at logout, or when its person leaves the users file.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use axum::Router;
use axum::body::Bytes;
use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use maud::html;

use super::users::{Role, User, hash};
use super::{Failure, Site, api, guard, page, pages, typed};

/// The cookie's name.
const COOKIE: &str = "iisg_session";
/// How long a session lasts from its login.
pub const SESSION_AGE: Duration = Duration::from_secs(12 * 60 * 60);
/// The most sessions kept at once; past it, the oldest goes.
const MAX_SESSIONS: usize = 10_000;

/// Who is asking, as every page and write sees it.
#[derive(Clone, Debug)]
pub struct Visitor {
    /// The person, with `--users`; none without.
    pub user: Option<User>,
    /// The token their unsafe requests carry.
    pub csrf: String,
    /// Whether they may change the plan: an editor (or anyone, without `--users`), and the
    /// server not `--read-only`.
    pub can_write: bool,
}

tokio::task_local! {
    /// The visitor of the request this task serves, set by [`identify`].
    pub static VISITOR: Visitor;
}

/// The visitor of the request this task serves; without one (a page answered before
/// [`identify`] ran), someone who may not write.
#[must_use]
pub fn current(site: &Site) -> Visitor {
    VISITOR.try_with(Clone::clone).unwrap_or_else(|_| Visitor {
        user: None,
        csrf: site.csrf.clone(),
        can_write: false,
    })
}

/// The person logged in for the request this thread serves, with their CSRF token, for
/// the pages' header.
#[must_use]
pub fn person() -> Option<(User, String)> {
    VISITOR
        .try_with(|v| v.user.clone().map(|u| (u, v.csrf.clone())))
        .ok()
        .flatten()
}

#[derive(Debug)]
struct Session {
    /// The kept hash of the token they logged in with.
    token: String,
    csrf: String,
    since: Instant,
}

/// The sessions of this run.
#[derive(Debug, Default)]
pub struct Sessions(Mutex<HashMap<String, Session>>);

impl Sessions {
    fn start(&self, token: String) -> Result<(String, String), std::io::Error> {
        let id = guard::token()?;
        let csrf = guard::token()?;
        let mut sessions = self.0.lock().unwrap_or_else(PoisonError::into_inner);
        if sessions.len() >= MAX_SESSIONS {
            sessions.retain(|_, s| s.since.elapsed() < SESSION_AGE);
        }
        if sessions.len() >= MAX_SESSIONS
            && let Some(oldest) = sessions
                .iter()
                .min_by_key(|(_, s)| s.since)
                .map(|(id, _)| id.clone())
        {
            sessions.remove(&oldest);
        }
        sessions.insert(
            id.clone(),
            Session {
                token,
                csrf: csrf.clone(),
                since: Instant::now(),
            },
        );
        Ok((id, csrf))
    }

    /// The kept token hash and CSRF token of a live session.
    fn get(&self, id: &str) -> Option<(String, String)> {
        let mut sessions = self.0.lock().unwrap_or_else(PoisonError::into_inner);
        let session = sessions.get(id)?;
        if session.since.elapsed() >= SESSION_AGE {
            sessions.remove(id);
            return None;
        }
        Some((session.token.clone(), session.csrf.clone()))
    }

    fn end(&self, id: &str) {
        self.0
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .remove(id);
    }
}

/// The login page and its form, and logout.
pub fn routes() -> Router<Arc<Site>> {
    Router::new()
        .route("/login", get(login_page).post(login))
        .route("/logout", post(logout))
}

/// Paths anyone may ask for before logging in.
fn open_to_all(path: &str) -> bool {
    path == "/login" || path.starts_with("/assets/")
}

/// The session cookie's value in `headers`.
fn cookie(headers: &HeaderMap) -> Option<&str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .find_map(|pair| pair.trim().strip_prefix(COOKIE)?.strip_prefix('='))
}

/// A token sent as `Authorization: Bearer …`.
fn bearer(headers: &HeaderMap) -> Option<&str> {
    headers
        .get(header::AUTHORIZATION)?
        .to_str()
        .ok()?
        .strip_prefix("Bearer ")
        .map(str::trim)
}

/// Works out who is asking and serves the request as them. With `--users`, someone not
/// logged in is sent to `/login` (a page) or answered 401 (the API, and any change).
pub async fn identify(State(site): State<Arc<Site>>, request: Request, next: Next) -> Response {
    let Some(kept) = &site.users else {
        let visitor = Visitor {
            user: None,
            csrf: site.csrf.clone(),
            can_write: !site.read_only,
        };
        return VISITOR.scope(visitor, next.run(request)).await;
    };
    let path = request.uri().path().to_string();
    let api = path.starts_with("/api/");
    let users = match kept.now() {
        Ok(users) => users,
        Err(error) => {
            let failure = Failure {
                status: StatusCode::SERVICE_UNAVAILABLE,
                error: format!("no one can come in for now: {error}"),
                help: Some("whoever runs the server can mend the users file".into()),
            };
            return if api {
                api::failure(&failure)
            } else {
                pages::failure(&failure)
            };
        }
    };
    let headers = request.headers();
    let found = if let Some(token) = bearer(headers) {
        let kept = hash(token);
        users.find_hash(&kept).map(|user| {
            // A script's CSRF token: its own, and no page's.
            let csrf = hash(&format!("{}{kept}", site.csrf));
            (user.clone(), csrf[7..].to_string())
        })
    } else {
        cookie(headers)
            .and_then(|id| site.sessions.get(id))
            .and_then(|(token, csrf)| Some((users.find_hash(&token)?.clone(), csrf)))
    };
    let visitor = match found {
        Some((user, csrf)) => Visitor {
            can_write: user.role == Role::Editor && !site.read_only,
            user: Some(user),
            csrf,
        },
        None if open_to_all(&path) => Visitor {
            user: None,
            csrf: String::new(),
            can_write: false,
        },
        None => return unknown_visitor(&request, api, bearer(headers).is_some()),
    };
    VISITOR.scope(visitor, next.run(request)).await
}

/// The answer to someone not logged in: to `/login` and back, for a page.
fn unknown_visitor(request: &Request, api: bool, sent_token: bool) -> Response {
    if !api && request.method() == Method::GET {
        let next = request
            .uri()
            .path_and_query()
            .map_or("/", axum::http::uri::PathAndQuery::as_str);
        let to = format!(
            "/login?next={}",
            form_urlencoded::byte_serialize(next.as_bytes()).collect::<String>()
        );
        return (StatusCode::SEE_OTHER, [(header::LOCATION, to)]).into_response();
    }
    let failure = Failure {
        status: StatusCode::UNAUTHORIZED,
        error: if sent_token {
            "this token lets no one in".into()
        } else {
            "log in first: this server lets in only the people of its users file".into()
        },
        help: Some(
            "log in at `/login` with your token, or send it as `Authorization: Bearer …`".into(),
        ),
    };
    let mut response = if api {
        api::failure(&failure)
    } else {
        pages::failure(&failure)
    };
    response.headers_mut().insert(
        header::WWW_AUTHENTICATE,
        HeaderValue::from_static("Bearer realm=\"iisg\""),
    );
    response
}

/// Where to go after logging in: a path on this server only, never another site.
fn next_path(next: Option<&str>) -> String {
    match next {
        Some(next)
            if next.starts_with('/')
                && !next.starts_with("//")
                && !next.contains('\\')
                && !next.chars().any(char::is_control)
                && next != "/login" =>
        {
            next.to_string()
        }
        _ => "/".into(),
    }
}

async fn login_page(State(site): State<Arc<Site>>, raw: axum::extract::RawQuery) -> Response {
    let next = raw.0.as_deref().and_then(|q| {
        form_urlencoded::parse(q.as_bytes())
            .find(|(k, _)| k == "next")
            .map(|(_, v)| v.into_owned())
    });
    login_form(&site, StatusCode::OK, next.as_deref(), None)
}

fn login_form(
    site: &Site,
    status: StatusCode,
    next: Option<&str>,
    error: Option<&str>,
) -> Response {
    let next = next_path(next);
    let body = html! {
        @if site.users.is_none() {
            p { "This server lets in everyone on this machine: there is nothing to log in to." }
            p { a href="/" { "Open the plan" } }
        } @else {
            p { "Log in with the token whoever runs this server gave you." }
            form.login method="post" action="/login" {
                input type="hidden" name="next" value=(next);
                div.field {
                    label for="token" { "Token" }
                    input id="token" name="token" type="password" required
                        autocomplete="current-password" spellcheck="false"
                        aria-describedby=[error.map(|_| "token-error")]
                        aria-invalid=[error.map(|_| "true")];
                    @if let Some(error) = error {
                        p.error id="token-error" { (error) }
                    }
                }
                button type="submit" { "Log in" }
            }
        }
    };
    let markup = page::frame(&site.title, "Log in", page::Tab::None, &body);
    typed(status, "text/html; charset=utf-8", markup.into_string())
}

/// `POST /login`: the token, as a form; a session cookie and on to `next`.
async fn login(State(site): State<Arc<Site>>, headers: HeaderMap, body: Bytes) -> Response {
    let fields: HashMap<String, String> = form_urlencoded::parse(&body).into_owned().collect();
    let next = fields.get("next").map(String::as_str);
    if let Some(error) = guard::foreign(&site, &headers) {
        return pages::failure(&Failure {
            status: StatusCode::FORBIDDEN,
            error,
            help: Some("open the plan at its own address and log in there".into()),
        });
    }
    let Some(kept) = &site.users else {
        return login_form(&site, StatusCode::NOT_FOUND, next, None);
    };
    let users = kept.now().unwrap_or_default();
    let token = fields.get("token").map_or("", |t| t.trim());
    let Some(user) = users.find(token) else {
        // A guess costs a moment: tokens are too long to guess, and this keeps it so.
        tokio::time::sleep(Duration::from_millis(250)).await;
        return login_form(
            &site,
            StatusCode::UNAUTHORIZED,
            next,
            Some("This token lets no one in. Check that it was copied whole."),
        );
    };
    let Ok((id, _csrf)) = site.sessions.start(user.token.clone()) else {
        return pages::failure(&Failure {
            status: StatusCode::INTERNAL_SERVER_ERROR,
            error: "the system gave no randomness for a session".into(),
            help: None,
        });
    };
    let cookie = format!(
        "{COOKIE}={id}; Path=/; HttpOnly; SameSite=Strict; Max-Age={}",
        SESSION_AGE.as_secs()
    );
    let mut response =
        (StatusCode::SEE_OTHER, [(header::LOCATION, next_path(next))]).into_response();
    if let Ok(value) = HeaderValue::from_str(&cookie) {
        response.headers_mut().insert(header::SET_COOKIE, value);
    }
    response
}

/// `POST /logout`: the session ends, its cookie is cleared.
async fn logout(State(site): State<Arc<Site>>, headers: HeaderMap) -> Response {
    if let Some(id) = cookie(&headers) {
        site.sessions.end(id);
    }
    let mut response = (StatusCode::SEE_OTHER, [(header::LOCATION, "/login")]).into_response();
    response.headers_mut().insert(
        header::SET_COOKIE,
        HeaderValue::from_static("iisg_session=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0"),
    );
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_a_path_here_is_a_next_page() {
        for (given, to) in [
            (
                Some("/actions?status=completed"),
                "/actions?status=completed",
            ),
            (Some("//evil.example/"), "/"),
            (Some("https://evil.example/"), "/"),
            (Some("/\\evil.example"), "/"),
            (Some("/login"), "/"),
            (Some("/a\r\nSet-Cookie: x"), "/"),
            (None, "/"),
        ] {
            assert_eq!(next_path(given), to, "{given:?}");
        }
    }

    #[test]
    fn the_cookie_is_found_among_others() {
        let mut headers = HeaderMap::new();
        headers.insert(
            header::COOKIE,
            HeaderValue::from_static("a=1; iisg_session=abc; b=2"),
        );
        assert_eq!(cookie(&headers), Some("abc"));
        headers.insert(
            header::COOKIE,
            HeaderValue::from_static("iisg_sessionx=abc"),
        );
        assert_eq!(cookie(&headers), None);
    }
}
