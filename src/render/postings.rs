//! The postings of one search token, packed. Records are added in increasing order, so each
//! posting is kept as the gap from the record before it and its value, both LEB128 varints: about
//! 2–3 bytes a posting against 8 unpacked (at 100,000 records the index has tens of millions).
//! The last posting stays unpacked while its record is read, since each later field of the record
//! can add a place to it.

/// One token's postings: (record number, value) in increasing record order.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub(super) struct PostingList {
    /// Every posting but the open one: gap, value, gap, value… as varints.
    packed: Vec<u8>,
    /// The record number of the last packed posting (0 when none is packed).
    packed_last: u32,
    /// The last posting, still open to changes.
    open: Option<(u32, u32)>,
}

impl PostingList {
    /// The last posting, whose value its record's later fields may change.
    pub fn last_mut(&mut self) -> Option<&mut (u32, u32)> {
        self.open.as_mut()
    }

    /// Adds a posting after every other: `doc` must be greater than each record before it.
    pub fn push(&mut self, doc: u32, value: u32) {
        self.close();
        self.open = Some((doc, value));
    }

    /// Appends `later`, whose records all come after this list's.
    pub fn append(&mut self, later: PostingList) {
        self.close();
        let mut rest = later.packed.as_slice();
        if let Some(first) = read_varint(&mut rest) {
            // `later` packed its first record as a gap from 0, i.e. the record number itself.
            write_varint(&mut self.packed, first.saturating_sub(self.packed_last));
            self.packed.extend_from_slice(rest);
            self.packed_last = later.packed_last;
        }
        self.open = later.open;
    }

    /// The postings in record order.
    pub fn iter(&self) -> impl Iterator<Item = (u32, u32)> + '_ {
        let mut rest = self.packed.as_slice();
        let mut doc = 0u32;
        std::iter::from_fn(move || {
            let gap = read_varint(&mut rest)?;
            let value = read_varint(&mut rest)?;
            doc = doc.saturating_add(gap);
            Some((doc, value))
        })
        .chain(self.open)
    }

    /// Packs the open posting.
    fn close(&mut self) {
        if let Some((doc, value)) = self.open.take() {
            write_varint(&mut self.packed, doc.saturating_sub(self.packed_last));
            write_varint(&mut self.packed, value);
            self.packed_last = doc;
        }
    }
}

fn write_varint(out: &mut Vec<u8>, mut n: u32) {
    while n >= 0x80 {
        out.push((n & 0x7F) as u8 | 0x80);
        n >>= 7;
    }
    out.push(n as u8);
}

fn read_varint(bytes: &mut &[u8]) -> Option<u32> {
    let mut n = 0u32;
    let mut shift = 0;
    while let Some((&b, rest)) = bytes.split_first() {
        *bytes = rest;
        n |= u32::from(b & 0x7F) << shift;
        if b & 0x80 == 0 {
            return Some(n);
        }
        shift += 7;
        if shift > 28 {
            return None;
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn list(postings: &[(u32, u32)]) -> PostingList {
        let mut l = PostingList::default();
        for &(d, v) in postings {
            l.push(d, v);
        }
        l
    }

    #[test]
    fn gives_back_what_was_pushed_large_numbers_included() {
        let postings = [(0, 1), (1, 255), (200, 4), (70_000, 0x1F4), (u32::MAX, 9)];
        let l = list(&postings);
        assert_eq!(l.iter().collect::<Vec<_>>(), postings);
        // Packed, the first four take 1+1, 1+2, 2+1 and 3+2 bytes.
        assert_eq!(l.packed.len(), 13);
    }

    #[test]
    fn the_open_posting_can_change_until_the_next_one() {
        let mut l = list(&[(3, 1)]);
        if let Some(last) = l.last_mut() {
            last.1 |= 4;
        }
        l.push(5, 2);
        assert_eq!(l.iter().collect::<Vec<_>>(), [(3, 5), (5, 2)]);
    }

    #[test]
    fn appending_a_later_list_keeps_record_order() {
        for (a, b) in [
            (vec![(1, 1), (4, 2)], vec![(9, 3), (300, 4)]),
            (vec![], vec![(9, 3)]),
            (vec![(1, 1)], vec![]),
            (vec![(2, 1)], vec![(3, 2)]),
        ] {
            let mut left = list(&a);
            left.append(list(&b));
            let whole: Vec<_> = a.iter().chain(&b).copied().collect();
            assert_eq!(left.iter().collect::<Vec<_>>(), whole);
            // And it goes on as one list.
            left.push(1000, 7);
            assert_eq!(left.iter().last(), Some((1000, 7)));
        }
    }
}
