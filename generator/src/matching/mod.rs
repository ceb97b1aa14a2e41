//! Matching over the whole directory, mirrored entries included, so that
//! pairs cross organisations: monthly buddy rounds, job-swap cycles, and the
//! suggestions on every profile page.
//!
//! - [`people`]: who can be matched and what two people have in common;
//! - [`pairing`]: pairs of greatest total weight (blossom, or a stated
//!   approximation for very large rounds);
//! - [`buddies`]: a buddy round;
//! - [`swaps`]: a job-swap round;
//! - [`suggestions`]: people a profile page suggests;
//! - [`round`]: the round files under `rounds/`;
//! - [`summary`]: a round as people read it;
//! - [`wishes`]: what people asked of the rounds privately;
//! - [`introductions`]: each group of a round introduced to each other.

pub mod buddies;
pub mod introductions;
pub mod pairing;
pub mod people;
pub mod round;
pub mod suggestions;
pub mod summary;
pub mod swaps;
pub mod wishes;

pub use buddies::{BuddyOptions, BuddyRound, buddy_round};
pub use round::{Month, PastRounds, RoundError};
pub use swaps::{SwapOptions, SwapRound, swap_round};
