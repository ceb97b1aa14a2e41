//! Locks that outlive a panic.

/// A lock's guard, even after a panic while it was held: what the crate's
/// locks guard (caches checked against their keys, lists of files written)
/// is never left half-changed in a way that matters.
pub(crate) fn lock<T>(mutex: &std::sync::Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}
