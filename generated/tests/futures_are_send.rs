//! Every seed client's money-moving call and `resolve` return futures that are `Send`, so callers
//! can spawn them on a multi-threaded runtime (`tokio::spawn`). A compile-time check: the test
//! body only has to type-check; a call's future that holds a non-`Sync` borrow fails to build.

use paygen_connectors::{cabbagino, cactusgino, global_solutions, pockyt};
use paygen_runtime::Error;

fn is_send<T: Send>(_: &T) {}

#[test]
fn money_moving_calls_and_resolve_are_send() {
    fn cabbagino(c: &cabbagino::Client, r: &cabbagino::PayoutRequest, e: &Error) {
        is_send(&c.payout(r));
        is_send(&c.resolve(e));
    }
    fn cactusgino(c: &cactusgino::Client, r: &cactusgino::PayoutRequest, e: &Error) {
        is_send(&c.payout(r));
        is_send(&c.resolve(e));
    }
    fn global_solutions(
        c: &global_solutions::Client,
        r: &global_solutions::ChargeCardRequest,
        e: &Error,
    ) {
        is_send(&c.charge_card(r));
        is_send(&c.resolve(e));
    }
    fn pockyt(c: &pockyt::Client, r: &pockyt::TransferRequest, e: &Error) {
        is_send(&c.transfer(r));
        is_send(&c.resolve(e));
    }
    // the checks are the functions' types; referencing them makes the compiler check them
    let checks: [*const (); 4] = [
        cabbagino as *const (),
        cactusgino as *const (),
        global_solutions as *const (),
        pockyt as *const (),
    ];
    assert!(checks.iter().all(|f| !f.is_null()));
}
