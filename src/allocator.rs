//! The memory allocator, and how soon it gives freed memory back.

/// A build allocates and frees millions of small strings and maps across
/// threads (template contexts, pages); mimalloc does that faster than the
/// system allocator (see docs/benchmarks.md).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// mimalloc's option for how long freed memory is kept before it is given
/// back to the system, in milliseconds: its place in `mi_option_e`
/// (`mimalloc.h`), which the Rust bindings do not name.
const PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;

/// How long freed memory is kept, in milliseconds: mimalloc 2's default.
/// mimalloc 3 keeps it a second, longer than a whole build of 10,000
/// profiles takes, so that every value a build freed (each page's template
/// values) counted in its peak: some 100 MiB at 10,000 profiles against
/// 80 MiB with this, in the same time (docs/benchmarks.md).
const KEEP_FREED_MS: std::ffi::c_long = 10;

/// Sets the allocator's options; called first thing, before any thread.
pub fn configure() {
    // SAFETY: setting an option is a store to mimalloc's table of options,
    // which it reads when it next purges; the option exists (see the test).
    unsafe { libmimalloc_sys::mi_option_set(PURGE_DELAY, KEEP_FREED_MS) };
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The option set is the purge delay: mimalloc 3 makes it 1,000 ms by
    /// default, as no other option of its.
    #[test]
    fn the_option_set_is_the_delay_before_freed_memory_is_given_back() {
        // SAFETY: reading an option is a load from mimalloc's table.
        let default = unsafe { libmimalloc_sys::mi_option_get(PURGE_DELAY) };
        assert_eq!(default, 1000);
        configure();
        let set = unsafe { libmimalloc_sys::mi_option_get(PURGE_DELAY) };
        assert_eq!(set, KEEP_FREED_MS);
    }
}
