//! The accept loop: one task per connection reads a request, picks its fault, lets the handler
//! answer, applies the fault to the answer (delay, no answer, reset, garbage) and records it.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use paygen_runtime::__codegen::excerpt;
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::watch;

use crate::fault::{Fault, FAULT_HEADER};
use crate::handler;
use crate::http::{self, Request, Response};
use crate::{lock, RecordedRequest, Shared};

static SEQ: AtomicU64 = AtomicU64::new(1);

/// Serves until the stop signal.
pub async fn serve(listener: TcpListener, shared: Arc<Shared>, mut stop: watch::Receiver<bool>) {
    loop {
        tokio::select! {
            _ = stop.changed() => return,
            accepted = listener.accept() => {
                let Ok((stream, _)) = accepted else { continue };
                let shared2 = shared.clone();
                let stop2 = stop.clone();
                shared.spawn(connection(stream, shared2, stop2));
            }
        }
    }
}

async fn connection(mut stream: TcpStream, shared: Arc<Shared>, stop: watch::Receiver<bool>) {
    let Some(req) = http::read_request(&mut stream).await else {
        return;
    };
    let (provider, operation) = handler::identify(&shared, &req);
    let fault = pick_fault(&shared, &req, &provider, operation.as_deref());
    let fault_text = fault.as_ref().map(|f| match f {
        Ok(f) => format!("{f:?}"),
        Err(e) => e.clone(),
    });
    let mut record = RecordedRequest {
        seq: SEQ.fetch_add(1, Ordering::SeqCst),
        provider,
        operation,
        method: req.method.clone(),
        path: req.path.clone(),
        fault: fault_text,
        status: None,
        body_excerpt: excerpt(&req.body),
    };
    let fault = match fault {
        Some(Err(e)) => {
            let resp = Response::json(
                400,
                serde_json::json!({ "error": e }).to_string().into_bytes(),
            );
            record.status = Some(400);
            lock(&shared.records).push(record);
            http::write_response(&mut stream, &resp).await;
            return;
        }
        Some(Ok(f)) => Some(f),
        None => None,
    };
    if let Some(Fault::Delay(d)) = &fault {
        tokio::time::sleep(*d).await;
    }
    let resp = handler::handle(&shared, &req, fault.as_ref());
    deliver(stream, resp, fault, record, shared, stop).await;
}

async fn deliver(
    mut stream: TcpStream,
    resp: Response,
    fault: Option<Fault>,
    mut record: RecordedRequest,
    shared: Arc<Shared>,
    mut stop: watch::Receiver<bool>,
) {
    match fault {
        Some(Fault::Timeout) => {
            lock(&shared.records).push(record);
            let limit = shared.config.hold_limit;
            let mut sink = [0u8; 512];
            let wait_close = async {
                use tokio::io::AsyncReadExt;
                for _ in 0..1000 {
                    if matches!(stream.read(&mut sink).await, Ok(0) | Err(_)) {
                        break;
                    }
                }
            };
            tokio::select! {
                _ = tokio::time::sleep(limit) => {}
                _ = stop.changed() => {}
                _ = wait_close => {}
            }
        }
        Some(Fault::Reset) => {
            lock(&shared.records).push(record);
            let _ = stream.set_zero_linger();
            drop(stream);
        }
        Some(Fault::Malformed) => {
            let mut body = resp.body.clone();
            body.truncate(body.len() / 2);
            body.extend_from_slice(b"\x00<html>");
            let garbage = Response {
                status: 200,
                headers: resp.headers.clone(),
                body,
            };
            record.status = Some(200);
            lock(&shared.records).push(record);
            http::write_response(&mut stream, &garbage).await;
        }
        _ => {
            record.status = Some(resp.status);
            lock(&shared.records).push(record);
            http::write_response(&mut stream, &resp).await;
        }
    }
}

/// The header's fault, else the first configured rule that matches (its count used up).
fn pick_fault(
    shared: &Shared,
    req: &Request,
    provider: &str,
    operation: Option<&str>,
) -> Option<Result<Fault, String>> {
    if let Some(text) = req.header(FAULT_HEADER) {
        return Some(Fault::parse(text));
    }
    let mut rules = lock(&shared.faults);
    let rule = rules.iter_mut().find(|r| {
        r.provider.as_deref().is_none_or(|p| p == provider)
            && r.operation.as_deref().is_none_or(|o| Some(o) == operation)
            && r.times != Some(0)
    })?;
    if let Some(t) = rule.times.as_mut() {
        *t -= 1;
    }
    Some(Ok(rule.fault.clone()))
}
