//! Attempt deadlines on timers the engine reuses: each attempt's deadline is a `tokio` timer
//! taken from the engine's idle timers of the same runtime, moved to the new deadline, and put
//! back once the exchange is over.
//!
//! Why: a fresh timer registered while the runtime's time driver sleeps with no timer at all
//! makes `tokio` wake the driver (an `eventfd` write and an `epoll_wait` return on another
//! thread) on every request, which costs a sequential client about a context switch per call.
//! A timer kept registered and moved later is a single atomic update: the driver wakes at most
//! once per timeout period for it. The deadline itself is the same: the exchange is refused
//! with the attempt's error once the instant passes.
//!
//! Safety of reuse: a timer belongs to the runtime that created it, so one is reused only on
//! that runtime (by [`tokio::runtime::Id`]), and never once it has fired (a runtime that shuts
//! down fires every timer it holds, so a timer of a dead runtime whose id was reused is
//! discarded). A timer whose exchange was abandoned (the call's future dropped) is dropped
//! with it, as a plain `tokio` timer would be.

use std::future::Future;
use std::pin::{pin, Pin};
use std::sync::Mutex;
use std::task::{Context, Poll, Waker};

use tokio::runtime::{Handle, Id};
use tokio::time::{Instant, Sleep};

/// How many idle timers an engine keeps (beyond that, finished timers are dropped).
const KEPT: usize = 64;

/// One timer with the runtime it belongs to.
struct Timer {
    runtime: Id,
    sleep: Pin<Box<Sleep>>,
}

/// The engine's idle timers, ready for the next attempt.
#[derive(Default)]
pub(crate) struct DeadlineTimers {
    idle: Mutex<Vec<Timer>>,
}

impl std::fmt::Debug for DeadlineTimers {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DeadlineTimers").finish_non_exhaustive()
    }
}

impl DeadlineTimers {
    /// A deadline at `at` for one attempt, on an idle timer of the current runtime when there
    /// is one. Outside a runtime the timer is a plain one (as `tokio::time::timeout_at` would
    /// make).
    pub(crate) fn arm(&self, at: Instant) -> Deadline<'_> {
        let Ok(handle) = Handle::try_current() else {
            return Deadline {
                timers: self,
                runtime: None,
                sleep: Box::pin(tokio::time::sleep_until(at)),
            };
        };
        let runtime = handle.id();
        drop(handle);
        let sleep = match self.take_idle(runtime) {
            Some(mut sleep) => {
                sleep.as_mut().reset(at);
                sleep
            }
            None => Box::pin(tokio::time::sleep_until(at)),
        };
        Deadline {
            timers: self,
            runtime: Some(runtime),
            sleep,
        }
    }

    /// An idle timer of `runtime` that has not fired; fired ones met on the way are dropped.
    fn take_idle(&self, runtime: Id) -> Option<Pin<Box<Sleep>>> {
        let mut idle = self.idle.lock().ok()?;
        while let Some(at) = idle.iter().rposition(|t| t.runtime == runtime) {
            let timer = idle.swap_remove(at);
            if !timer.sleep.is_elapsed() {
                return Some(timer.sleep);
            }
        }
        None
    }

    fn put_back(&self, timer: Timer) {
        let Ok(mut idle) = self.idle.lock() else {
            return;
        };
        if idle.len() >= KEPT {
            idle.retain(|t| !t.sleep.is_elapsed());
        }
        if idle.len() < KEPT {
            idle.push(timer);
        }
    }
}

/// One attempt's deadline (see the module docs).
pub(crate) struct Deadline<'a> {
    timers: &'a DeadlineTimers,
    /// The runtime the timer belongs to; `None` for a timer made outside one (never reused).
    runtime: Option<Id>,
    sleep: Pin<Box<Sleep>>,
}

impl Deadline<'_> {
    /// `work`'s output, or `None` once the deadline has passed first. `work` is polled before
    /// the timer, and the timer is polled outside the task's cooperative budget, so work that
    /// used the budget up cannot keep the deadline from being noticed (as
    /// `tokio::time::timeout_at`).
    pub(crate) async fn within<F: Future>(&mut self, work: F) -> Option<F::Output> {
        let mut work = pin!(work);
        let sleep = &mut self.sleep;
        std::future::poll_fn(|cx| {
            if let Poll::Ready(out) = work.as_mut().poll(cx) {
                return Poll::Ready(Some(out));
            }
            let mut timer = tokio::task::unconstrained(sleep.as_mut());
            match Pin::new(&mut timer).poll(cx) {
                Poll::Ready(()) => Poll::Ready(None),
                Poll::Pending => Poll::Pending,
            }
        })
        .await
    }

    /// The exchange is over: the timer goes back to the engine's idle timers (registered, with
    /// a waker that wakes nothing, so no finished task is kept or woken by it), unless it
    /// fired.
    pub(crate) fn finish(self) {
        let Deadline {
            timers,
            runtime,
            mut sleep,
        } = self;
        let Some(runtime) = runtime else {
            return;
        };
        let mut cx = Context::from_waker(Waker::noop());
        let mut timer = tokio::task::unconstrained(sleep.as_mut());
        if Pin::new(&mut timer).poll(&mut cx).is_ready() {
            return;
        }
        timers.put_back(Timer { runtime, sleep });
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    fn idle_count(timers: &DeadlineTimers) -> usize {
        timers.idle.lock().map(|i| i.len()).unwrap_or(0)
    }

    #[tokio::test]
    async fn a_finished_timer_is_reused_and_still_enforces_the_new_deadline() {
        let timers = DeadlineTimers::default();
        let far = Instant::now() + Duration::from_secs(30);
        let mut d = timers.arm(far);
        assert_eq!(d.within(async { 7 }).await, Some(7));
        d.finish();
        assert_eq!(idle_count(&timers), 1);

        // the reused timer, moved to a near deadline, fires on time
        let near = Instant::now() + Duration::from_millis(20);
        let mut d = timers.arm(near);
        assert_eq!(idle_count(&timers), 0);
        let started = std::time::Instant::now();
        let never = std::future::pending::<()>();
        assert_eq!(d.within(never).await, None);
        assert!(started.elapsed() >= Duration::from_millis(15));
        // a fired timer is not kept
        d.finish();
        assert_eq!(idle_count(&timers), 0);
    }

    #[tokio::test]
    async fn work_ready_before_the_deadline_wins_even_past_it() {
        let timers = DeadlineTimers::default();
        let mut d = timers.arm(Instant::now());
        // polled first, as `tokio::time::timeout_at` does
        assert_eq!(d.within(async { 1 }).await, Some(1));
    }

    #[test]
    fn timers_of_another_runtime_are_not_reused_and_fired_ones_are_dropped() {
        let timers = DeadlineTimers::default();
        let first = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("runtime");
        first.block_on(async {
            let mut d = timers.arm(Instant::now() + Duration::from_secs(30));
            assert_eq!(d.within(async { 3 }).await, Some(3));
            d.finish();
        });
        assert_eq!(idle_count(&timers), 1);
        // the first runtime's shutdown fires its timers, so even were its id given to the
        // next runtime, its timer would not be reused
        drop(first);
        let fired = timers
            .idle
            .lock()
            .map(|i| i.iter().all(|t| t.sleep.is_elapsed()))
            .unwrap_or(false);
        assert!(fired, "a dead runtime's timer has fired");
        let second = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("runtime");
        second.block_on(async {
            let mut d = timers.arm(Instant::now() + Duration::from_millis(10));
            assert_eq!(d.within(std::future::pending::<()>()).await, None);
        });
    }
}
