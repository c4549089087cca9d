//! Fingerprints: a 64-bit hash of what a page or file was made from, the same on every machine
//! and with every Rust release (XXH64 with a fixed seed, unlike std's `DefaultHasher`, whose
//! algorithm may change), so a page cache written by one build can be trusted by the next. A
//! foundation module: it imports no stage.

use std::hash::Hasher;
use twox_hash::XxHash64;

/// The hasher that fingerprints are fed through.
pub type Fingerprinter = XxHash64;

/// The fingerprint of whatever `feed` hashes.
pub fn of(feed: impl FnOnce(&mut Fingerprinter)) -> u64 {
    let mut h = XxHash64::with_seed(0);
    feed(&mut h);
    h.finish()
}

#[cfg(test)]
mod tests {
    use super::of;
    use std::hash::Hash;

    #[test]
    fn fingerprints_are_fixed_values() {
        // A fixed algorithm and seed: the same bytes always give the same number.
        assert_eq!(of(|h| "bilat".hash(h)), of(|h| "bilat".hash(h)));
        assert_ne!(of(|h| "a".hash(h)), of(|h| "b".hash(h)));
        assert_eq!(of(|_| {}), 0xef46_db37_51d8_e999);
    }
}
