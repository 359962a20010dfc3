//! paygen-http-server: one HTTP/1.1 server on 127.0.0.1 (hyper, keep-alive on) shared by the
//! sandbox, the test server and the demo receiver.
//!
//! A [`Handler`] turns a fully read [`Request`] into a [`Reply`]. The server bounds what a peer
//! can cost ([`Limits`]: connections, header and body size, idle and slow-request time), answers
//! what breaks the bounds with the proper status (400, 408, 413, 431, 503) and counts it in
//! [`Stats`]. Raw socket work is kept to the faults that need it ([`Reply::Reset`]).

mod conn;
mod io;
mod limits;
mod message;

use std::future::Future;
use std::net::SocketAddr;
use std::pin::Pin;
use std::sync::Arc;

use tokio::net::TcpListener;
use tokio::sync::{watch, Semaphore};
use tokio::task::JoinHandle;

pub use limits::{Limits, Stats, StatsSnapshot};
pub use message::{Reply, Request, Response};

/// A boxed future of a [`Reply`].
pub type ReplyFuture = Pin<Box<dyn Future<Output = Reply> + Send>>;

/// What answers requests.
pub trait Handler: Send + Sync + 'static {
    /// The reply to one request.
    fn handle(&self, req: Request) -> ReplyFuture;
}

impl<F, Fut> Handler for F
where
    F: Fn(Request) -> Fut + Send + Sync + 'static,
    Fut: Future<Output = Reply> + Send + 'static,
{
    fn handle(&self, req: Request) -> ReplyFuture {
        Box::pin(self(req))
    }
}

/// A running server: stops (and drops its connections) on [`Server::stop`] or when dropped.
pub struct Server {
    addr: SocketAddr,
    stats: Arc<Stats>,
    stop_tx: watch::Sender<bool>,
    task: Option<JoinHandle<()>>,
}

impl Server {
    /// Binds `127.0.0.1:port` (0 = any free port) and serves `handler` within `limits`.
    pub async fn start(
        port: u16,
        limits: Limits,
        handler: Arc<dyn Handler>,
    ) -> std::io::Result<Server> {
        let listener = TcpListener::bind(("127.0.0.1", port)).await?;
        Ok(Server::serve(listener, limits, handler))
    }

    /// Serves on an already bound listener.
    pub fn serve(listener: TcpListener, limits: Limits, handler: Arc<dyn Handler>) -> Server {
        let addr = listener
            .local_addr()
            .unwrap_or_else(|_| SocketAddr::from(([127, 0, 0, 1], 0)));
        let stats = Arc::new(Stats::default());
        let (stop_tx, stop_rx) = watch::channel(false);
        let ctx = Arc::new(conn::Ctx {
            limits,
            handler,
            stats: stats.clone(),
            stop: stop_rx,
            slots: Arc::new(Semaphore::new(limits.max_connections.max(1))),
        });
        let task = tokio::spawn(accept_loop(listener, ctx));
        Server {
            addr,
            stats,
            stop_tx,
            task: Some(task),
        }
    }

    /// The bound address.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// The port on 127.0.0.1.
    pub fn port(&self) -> u16 {
        self.addr.port()
    }

    /// The counters so far.
    pub fn stats(&self) -> StatsSnapshot {
        self.stats.snapshot()
    }

    /// The live counters (for reading them where the server is not at hand).
    pub fn stats_handle(&self) -> Arc<Stats> {
        self.stats.clone()
    }

    /// Stops accepting and ends every connection (an answer being written is cut off).
    pub async fn stop(mut self) {
        let _ = self.stop_tx.send(true);
        if let Some(task) = self.task.take() {
            let _ = task.await;
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.stop_tx.send(true);
        if let Some(task) = self.task.take() {
            task.abort();
        }
    }
}

async fn accept_loop(listener: TcpListener, ctx: Arc<conn::Ctx>) {
    let mut stop = ctx.stop.clone();
    loop {
        tokio::select! {
            _ = stop.changed() => return,
            accepted = listener.accept() => {
                let Ok((stream, _)) = accepted else { continue };
                conn::spawn(stream, ctx.clone());
            }
        }
    }
}
