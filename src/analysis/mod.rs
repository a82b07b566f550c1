//! Analysis: what the checked model means for the design's trade-offs.

pub mod catalog;
