//! The sandbox's time: the configured clock shifted by what the control API advanced, and the
//! waits of settle timers and callback retries, which an advance (or "fire callbacks now") ends
//! early instead of tests sleeping through them.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;

use paygen_runtime::Clock;
use tokio::sync::Notify;
use tokio::time::Instant;

/// Virtual time on top of the real one.
#[derive(Debug)]
pub struct Timeline {
    clock: Arc<dyn Clock>,
    /// Milliseconds the control API advanced the clock.
    advanced_ms: AtomicU64,
    /// Bumped by "fire pending callbacks now".
    fire_generation: AtomicU64,
    wake: Notify,
}

impl Timeline {
    /// Time kept by `clock`, not advanced yet.
    pub fn new(clock: Arc<dyn Clock>) -> Self {
        Timeline {
            clock,
            advanced_ms: AtomicU64::new(0),
            fire_generation: AtomicU64::new(0),
            wake: Notify::new(),
        }
    }

    fn advanced(&self) -> Duration {
        Duration::from_millis(self.advanced_ms.load(Ordering::SeqCst))
    }

    /// Moves time forward: waits due by then end now, `{now}` and creation times move too.
    pub fn advance(&self, by: Duration) {
        let ms = u64::try_from(by.as_millis()).unwrap_or(u64::MAX);
        let _ = self
            .advanced_ms
            .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |v| {
                Some(v.saturating_add(ms))
            });
        self.wake.notify_waiters();
    }

    /// Ends every callback retry wait now.
    pub fn fire_callbacks(&self) {
        self.fire_generation.fetch_add(1, Ordering::SeqCst);
        self.wake.notify_waiters();
    }

    /// Back to the configured clock.
    pub fn reset(&self) {
        self.advanced_ms.store(0, Ordering::SeqCst);
    }

    /// Now, as a starting point for a wait (take it when the wait is decided, so an advance
    /// made before the waiting task runs still counts).
    pub fn mark(&self) -> Mark {
        Mark {
            at: Instant::now(),
            advanced: self.advanced(),
            generation: self.fire_generation.load(Ordering::SeqCst),
        }
    }

    /// Waits `d` of sandbox time (real time plus advances made meanwhile).
    pub async fn sleep(&self, d: Duration) {
        self.wait_from(self.mark(), d, false).await;
    }

    /// Waits until `d` of sandbox time has passed since `from`; a callback wait also ends on
    /// [`Timeline::fire_callbacks`] after `from`.
    pub async fn wait_from(&self, from: Mark, d: Duration, callbacks: bool) {
        loop {
            let woken = self.wake.notified();
            tokio::pin!(woken);
            woken.as_mut().enable();
            if callbacks && self.fire_generation.load(Ordering::SeqCst) != from.generation {
                return;
            }
            let moved = self.advanced().saturating_sub(from.advanced);
            let Some(left) = d
                .checked_sub(moved + from.at.elapsed())
                .filter(|l| !l.is_zero())
            else {
                return;
            };
            tokio::select! {
                _ = tokio::time::sleep(left) => {}
                _ = &mut woken => {}
            }
        }
    }
}

/// A moment of sandbox time a wait counts from.
#[derive(Debug, Clone, Copy)]
pub struct Mark {
    at: Instant,
    advanced: Duration,
    generation: u64,
}

impl Clock for Timeline {
    fn now_unix(&self) -> i64 {
        let secs = i64::try_from(self.advanced().as_secs()).unwrap_or(i64::MAX);
        self.clock.now_unix().saturating_add(secs)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use paygen_runtime::FixedClock;

    #[tokio::test]
    async fn an_advance_ends_a_wait_and_moves_the_clock() {
        let t = Arc::new(Timeline::new(Arc::new(FixedClock(1_000))));
        let waiter = t.clone();
        let mark = t.mark();
        // advanced before the waiting task even runs: still counts
        let waited = tokio::spawn(async move {
            waiter
                .wait_from(mark, Duration::from_secs(3600), false)
                .await;
        });
        t.advance(Duration::from_secs(3600));
        tokio::time::timeout(Duration::from_secs(2), waited)
            .await
            .expect("the wait ended")
            .expect("joined");
        assert_eq!(t.now_unix(), 4_600);
    }

    #[tokio::test]
    async fn firing_callbacks_ends_only_callback_waits() {
        let t = Arc::new(Timeline::new(Arc::new(FixedClock(0))));
        let (a, b) = (t.clone(), t.clone());
        let mark = t.mark();
        let callback = tokio::spawn(async move {
            a.wait_from(mark, Duration::from_secs(60), true).await;
        });
        let settle = tokio::spawn(async move { b.sleep(Duration::from_secs(60)).await });
        tokio::task::yield_now().await;
        t.fire_callbacks();
        tokio::time::timeout(Duration::from_secs(2), callback)
            .await
            .expect("the callback wait ended")
            .expect("joined");
        assert!(!settle.is_finished());
    }
}
