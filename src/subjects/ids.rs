//! Typed ids of interned values: a name, a place, a registry person. Each is an index stored as a
//! `NonZeroU32`, so `Option<Id>` is still four bytes and no sentinel value can be mistaken for one.
use std::num::NonZeroU32;

macro_rules! id {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub struct $name(NonZeroU32);

        impl $name {
            /// The id of the value at `index` in its table.
            #[inline]
            pub fn new(index: usize) -> Self {
                let i = u32::try_from(index + 1).expect(concat!(stringify!($name), " overflow"));
                $name(NonZeroU32::new(i).expect("index + 1 is never zero"))
            }
            /// The index in its table.
            #[inline]
            pub fn index(self) -> usize {
                (self.0.get() - 1) as usize
            }
        }
    };
}

id!(
    /// A distinct normalized name in the run's [`crate::subjects::names::NameTable`].
    NameId
);
id!(
    /// A resolved place in the run's place table ([`crate::subjects::Dataset::places`]).
    PlaceId
);
id!(
    /// A person of the population extract ([`crate::subjects::Dataset::persons`]).
    PersonIdx
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_round_trip_and_stay_small() {
        assert_eq!(NameId::new(0).index(), 0);
        assert_eq!(PlaceId::new(41).index(), 41);
        assert_eq!(std::mem::size_of::<Option<PersonIdx>>(), 4);
    }
}
