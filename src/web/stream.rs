//! Answers sent as they are written: every action of a plan of 100,000 as JSON is 60 MB,
//! sent in pieces of 64 KB from the thread that writes it, never held whole. The status
//! is known before the first byte: whatever can fail (a bad filter, the lock) fails first.

use std::convert::Infallible;
use std::io::{self, Write};
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};

use axum::body::{Body, Bytes};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use http_body::Frame;
use tokio::sync::{mpsc, oneshot};

use super::{Failure, Site, session};

/// How the body is written, once the answer is known to be a success.
pub type Writing = Box<dyn FnOnce(&mut dyn Write) -> io::Result<()> + Send>;

/// Pieces of this size are sent as they fill.
const PIECE: usize = 64 * 1024;

/// Runs `work` on a thread that may block; a failure answers as `failed` says, a success
/// with what its [`Writing`] writes (cleaned as every command's standard output is), sent
/// while it is written, as `content_type`.
pub async fn answer(
    site: Arc<Site>,
    content_type: &'static str,
    failed: fn(&Failure) -> Response,
    work: impl FnOnce(&Site) -> Result<Writing, Failure> + Send + 'static,
) -> Response {
    let (ready, told) = oneshot::channel::<Result<(), Failure>>();
    let (sender, pieces) = mpsc::channel::<Bytes>(4);
    let visitor = site.visitor();
    tokio::task::spawn_blocking(move || {
        session::VISITOR.sync_scope(visitor, || match work(&site) {
            Err(failure) => {
                let _ = ready.send(Err(failure));
            }
            Ok(writing) => {
                if ready.send(Ok(())).is_err() {
                    return;
                }
                let mut out = Sender {
                    sender,
                    piece: Vec::with_capacity(PIECE),
                };
                // A client gone away stops the writing; nothing is left to tell it.
                let mut clean = crate::render::terminal::Clean::new(&mut out, false);
                if writing(&mut clean).is_ok() {
                    let _ = clean.flush();
                }
            }
        });
    });
    match told.await {
        Ok(Ok(())) => (
            StatusCode::OK,
            [(header::CONTENT_TYPE, content_type)],
            Body::new(Pieces(pieces)),
        )
            .into_response(),
        Ok(Err(failure)) => failed(&failure),
        Err(_) => failed(&Failure {
            status: StatusCode::INTERNAL_SERVER_ERROR,
            error: "the request failed".into(),
            help: None,
        }),
    }
}

/// What a blocking thread writes, sent on as pieces.
struct Sender {
    sender: mpsc::Sender<Bytes>,
    piece: Vec<u8>,
}

impl Sender {
    fn send(&mut self) -> io::Result<()> {
        if self.piece.is_empty() {
            return Ok(());
        }
        let piece = std::mem::replace(&mut self.piece, Vec::with_capacity(PIECE));
        self.sender
            .blocking_send(Bytes::from(piece))
            .map_err(|_| io::Error::new(io::ErrorKind::BrokenPipe, "the client went away"))
    }
}

impl Write for Sender {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.piece.extend_from_slice(buf);
        if self.piece.len() >= PIECE {
            self.send()?;
        }
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        self.send()
    }
}

/// The pieces as a response body.
struct Pieces(mpsc::Receiver<Bytes>);

impl http_body::Body for Pieces {
    type Data = Bytes;
    type Error = Infallible;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, Infallible>>> {
        self.0
            .poll_recv(cx)
            .map(|piece| piece.map(|bytes| Ok(Frame::data(bytes))))
    }
}
