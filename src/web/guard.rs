//! What stands before every write: a token a page elsewhere cannot know, and an `Origin`
//! that must be this server's.
//!
//! The token is made once a server run, from the operating system's randomness (the
//! `getrandom` crate: the one the Rust ecosystem's own `rand` and `tempfile` rest on, a
//! thin call of `getrandom(2)` with no other dependency). Forms carry it in a hidden field
//! `csrf`; the API sends it in `X-CSRF-Token`, after reading it from `GET /api/session`,
//! which a page of another site cannot read (no CORS header is ever sent). Every unsafe
//! request (`POST`, `PUT`, `PATCH`, `DELETE`) without it is refused with 403 before any
//! route sees it.

use std::fmt::Write as _;
use std::sync::Arc;

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::Response;

use super::{Failure, MAX_BODY, Site, api, pages};

/// The form field and the header that carry the token.
pub const FIELD: &str = "csrf";
/// The API's header.
pub const HEADER: &str = "x-csrf-token";

/// A new token: 32 random bytes, as hex.
///
/// # Errors
/// When the operating system gives no randomness.
pub fn token() -> Result<String, std::io::Error> {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).map_err(|e| std::io::Error::other(e.to_string()))?;
    Ok(bytes.iter().fold(String::with_capacity(64), |mut hex, b| {
        let _ = write!(hex, "{b:02x}");
        hex
    }))
}

/// Whether `given` is `token`, compared in time that does not depend on where they differ.
#[must_use]
pub fn same(given: &[u8], token: &[u8]) -> bool {
    if given.len() != token.len() {
        return false;
    }
    let differ = given
        .iter()
        .zip(token)
        .fold(0u8, |acc, (a, b)| acc | (a ^ b));
    std::hint::black_box(differ) == 0
}

/// Lets a safe request through; an unsafe one only with this server's `Origin` (or none)
/// and the token, in its header or, for a form, its `csrf` field.
pub async fn unsafe_needs_token(
    State(site): State<Arc<Site>>,
    request: Request,
    next: Next,
) -> Response {
    if matches!(
        *request.method(),
        Method::GET | Method::HEAD | Method::OPTIONS
    ) {
        return next.run(request).await;
    }
    let path = request.uri().path();
    let api = path.starts_with("/api/");
    // Logging in has no session yet: its form is checked for its origin where it is read.
    if path == "/login" {
        return next.run(request).await;
    }
    let visitor = site.visitor();
    let refuse = |status, error: String, help: &str| {
        let failure = Failure {
            status,
            error,
            help: Some(help.to_string()),
        };
        if api {
            api::failure(&failure)
        } else {
            pages::failure(&failure)
        }
    };
    let headers = request.headers();
    if let Some(error) = foreign(&site, headers) {
        return refuse(
            StatusCode::FORBIDDEN,
            error,
            "open the plan at its own address and change it there",
        );
    }
    if !visitor.can_write && path != "/logout" {
        return refuse(
            StatusCode::FORBIDDEN,
            "you may read this plan but not change it; nothing was written".into(),
            "ask whoever runs the server for the editor role",
        );
    }
    let token = visitor.csrf.as_bytes();
    if let Some(given) = headers.get(HEADER) {
        if same(given.as_bytes(), token) {
            return next.run(request).await;
        }
        return refuse(
            StatusCode::FORBIDDEN,
            "the `X-CSRF-Token` is not this server's; nothing was written".into(),
            "read the token from `GET /api/session` (it changes when the server restarts)",
        );
    }
    let form = headers
        .get(header::CONTENT_TYPE)
        .and_then(|t| t.to_str().ok())
        .is_some_and(|t| t.starts_with("application/x-www-form-urlencoded"));
    if !form {
        return refuse(
            StatusCode::FORBIDDEN,
            "a change needs this server's token, in `X-CSRF-Token`; nothing was written".into(),
            "read it from `GET /api/session`: `{\"csrf\": \"…\"}`",
        );
    }
    let (parts, body) = request.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, MAX_BODY).await else {
        return refuse(
            StatusCode::PAYLOAD_TOO_LARGE,
            format!(
                "the form is larger than {} KiB; nothing was written",
                MAX_BODY / 1024
            ),
            "send less text",
        );
    };
    let given = form_urlencoded::parse(&bytes)
        .find(|(key, _)| key == FIELD)
        .map(|(_, value)| value.into_owned());
    if given.is_some_and(|g| same(g.as_bytes(), token)) {
        return next
            .run(Request::from_parts(parts, Body::from(bytes)))
            .await;
    }
    refuse(
        StatusCode::FORBIDDEN,
        "this form is not from this server's current run (its token does not match); \
         nothing was written"
            .into(),
        "reload the page and send the form again",
    )
}

/// Why a request comes from another site: an `Origin` that is not this server's, or the
/// browser's word that it is cross-site.
pub fn foreign(site: &Site, headers: &axum::http::HeaderMap) -> Option<String> {
    if let Some(origin) = headers.get(header::ORIGIN) {
        let ours = origin.to_str().is_ok_and(|o| {
            let o = o.to_ascii_lowercase();
            o.strip_prefix("http://")
                .or_else(|| o.strip_prefix("https://"))
                .is_some_and(|authority| site.is_ours(authority))
        });
        if !ours {
            return Some(format!(
                "a change may come only from this server's own pages, not from `{}`; \
                 nothing was written",
                String::from_utf8_lossy(origin.as_bytes())
            ));
        }
    }
    headers
        .get("sec-fetch-site")
        .is_some_and(|s| s.as_bytes() == b"cross-site")
        .then(|| "a change may not come from another site; nothing was written".to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_new_and_compared_whole() {
        let (a, b) = (token().unwrap(), token().unwrap());
        assert_eq!(a.len(), 64);
        assert_ne!(a, b);
        assert!(same(a.as_bytes(), a.as_bytes()));
        assert!(!same(a.as_bytes(), b.as_bytes()));
        assert!(!same(&a.as_bytes()[..63], a.as_bytes()));
        assert!(!same(b"", a.as_bytes()));
    }
}
