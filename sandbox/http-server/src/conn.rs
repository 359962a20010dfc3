//! One connection: hyper's HTTP/1.1 with keep-alive, the body read whole within the limits, the
//! handler's reply carried out, and what went wrong counted (408 written here for a slow head).

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use http::header::{HeaderName, HeaderValue, CONNECTION, CONTENT_LENGTH};
use http_body_util::{BodyExt, Full, LengthLimitError, Limited};
use hyper::body::Incoming;
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper_util::rt::{TokioIo, TokioTimer};
use socket2::Socket;
use tokio::io::AsyncWriteExt;
use tokio::net::TcpStream;
use tokio::sync::{watch, Semaphore};

use crate::io::Tracked;
use crate::limits::{Limits, Stats};
use crate::message::{Reply, Request, Response};
use crate::Handler;

/// What every connection of a server shares.
pub(crate) struct Ctx {
    pub limits: Limits,
    pub handler: Arc<dyn Handler>,
    pub stats: Arc<Stats>,
    pub stop: watch::Receiver<bool>,
    pub slots: Arc<Semaphore>,
}

const BUSY: &[u8] = b"HTTP/1.1 503 Service Unavailable\r\nContent-Length: 0\r\nRetry-After: 1\r\nConnection: close\r\n\r\n";
const SLOW: &[u8] =
    b"HTTP/1.1 408 Request Timeout\r\nContent-Length: 0\r\nConnection: close\r\n\r\n";

/// The connection is dropped on purpose (no answer).
#[derive(Debug)]
struct Dropped;

impl std::fmt::Display for Dropped {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("connection dropped without an answer")
    }
}

impl std::error::Error for Dropped {}

type HyperResponse = hyper::Response<Full<Bytes>>;

/// Serves a new connection in its own task, or answers 503 when every slot is busy.
pub(crate) fn spawn(stream: TcpStream, ctx: Arc<Ctx>) {
    let Ok(permit) = ctx.slots.clone().try_acquire_owned() else {
        Stats::bump(&ctx.stats.refused_busy);
        tokio::spawn(refuse_busy(stream));
        return;
    };
    tokio::spawn(async move {
        serve(stream, &ctx).await;
        drop(permit);
    });
}

async fn refuse_busy(mut stream: TcpStream) {
    let write = async {
        let _ = stream.write_all(BUSY).await;
        let _ = stream.shutdown().await;
    };
    let _ = tokio::time::timeout(Duration::from_secs(1), write).await;
}

async fn serve(stream: TcpStream, ctx: &Arc<Ctx>) {
    Stats::bump(&ctx.stats.connections);
    let _ = stream.set_nodelay(true);
    // A second handle on the socket: a reset needs SO_LINGER 0, a slow head a raw 408.
    let raw: Arc<Option<Socket>> = Arc::new(socket2::SockRef::from(&stream).try_clone().ok());
    let unanswered = Arc::new(AtomicBool::new(false));
    let io = TokioIo::new(Tracked {
        stream,
        unanswered: unanswered.clone(),
    });
    let (svc_ctx, svc_raw) = (ctx.clone(), raw.clone());
    let service = service_fn(move |req| respond(svc_ctx.clone(), svc_raw.clone(), req));
    let mut builder = http1::Builder::new();
    builder
        .timer(TokioTimer::new())
        .header_read_timeout(ctx.limits.header_timeout)
        .max_buf_size(ctx.limits.max_head.max(8192))
        .keep_alive(true);
    let conn = builder.serve_connection(io, service);
    let mut stop = ctx.stop.clone();
    if *stop.borrow_and_update() {
        return;
    }
    let result = tokio::select! {
        r = conn => r,
        _ = stop.changed() => return,
    };
    if let Err(e) = result {
        count_failure(ctx, &e, unanswered.load(Ordering::Relaxed), &raw);
    }
}

/// Counts a connection that ended in an error; a head that started but never finished gets 408.
fn count_failure(ctx: &Ctx, e: &hyper::Error, unanswered: bool, raw: &Option<Socket>) {
    let stats = &ctx.stats;
    if e.is_timeout() {
        if unanswered {
            Stats::bump(&stats.timed_out);
            if let Some(s) = raw {
                let _ = s.send(SLOW);
            }
        } else {
            Stats::bump(&stats.idle_closed);
        }
    } else if e.is_parse() || e.is_parse_too_large() {
        // hyper has answered 400 / 414 / 431 already
        Stats::bump(&stats.malformed);
    }
}

async fn respond(
    ctx: Arc<Ctx>,
    raw: Arc<Option<Socket>>,
    req: hyper::Request<Incoming>,
) -> Result<HyperResponse, Dropped> {
    let (parts, body) = req.into_parts();
    let limits = &ctx.limits;
    let declared = parts
        .headers
        .get(CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<u64>().ok());
    if declared.is_some_and(|n| n > limits.max_body as u64) {
        Stats::bump(&ctx.stats.too_large);
        return Ok(refusal(413));
    }
    let collected = tokio::time::timeout(
        limits.body_timeout,
        Limited::new(body, limits.max_body).collect(),
    )
    .await;
    let body = match collected {
        Ok(Ok(c)) => c.to_bytes(),
        Ok(Err(e)) if e.downcast_ref::<LengthLimitError>().is_some() => {
            Stats::bump(&ctx.stats.too_large);
            return Ok(refusal(413));
        }
        Ok(Err(_)) => {
            Stats::bump(&ctx.stats.malformed);
            return Ok(refusal(400));
        }
        Err(_) => {
            Stats::bump(&ctx.stats.timed_out);
            return Ok(refusal(408));
        }
    };
    Stats::bump(&ctx.stats.requests);
    let request = Request {
        method: parts.method.as_str().to_string(),
        path: parts.uri.path().to_string(),
        query: parts.uri.query().unwrap_or("").to_string(),
        headers: parts.headers,
        body,
    };
    match ctx.handler.handle(request).await {
        Reply::Respond(r) => Ok(to_hyper(r)),
        Reply::Hang(limit) => {
            let mut stop = ctx.stop.clone();
            tokio::select! {
                _ = tokio::time::sleep(limit) => {}
                _ = stop.changed() => {}
            }
            Err(Dropped)
        }
        Reply::Close => Err(Dropped),
        Reply::Reset => {
            if let Some(s) = raw.as_ref() {
                let _ = s.set_linger(Some(Duration::ZERO));
            }
            Err(Dropped)
        }
    }
}

/// An empty answer with this status that closes the connection (the rest of the request is
/// not read).
fn refusal(status: u16) -> HyperResponse {
    let mut resp = hyper::Response::new(Full::new(Bytes::new()));
    *resp.status_mut() =
        http::StatusCode::from_u16(status).unwrap_or(http::StatusCode::BAD_REQUEST);
    resp.headers_mut()
        .insert(CONNECTION, HeaderValue::from_static("close"));
    resp
}

fn to_hyper(r: Response) -> HyperResponse {
    let mut resp = hyper::Response::new(Full::new(Bytes::from(r.body)));
    *resp.status_mut() =
        http::StatusCode::from_u16(r.status).unwrap_or(http::StatusCode::INTERNAL_SERVER_ERROR);
    let headers = resp.headers_mut();
    for (k, v) in r.headers {
        if k.eq_ignore_ascii_case("content-length") {
            continue;
        }
        if let (Ok(k), Ok(v)) = (HeaderName::try_from(k), HeaderValue::try_from(v)) {
            headers.append(k, v);
        }
    }
    resp
}
