//! How far a generation has got, for a progress display (see [`crate::generate_observed`]).
//!
//! The generator only updates counters; showing them (and deciding whether to, on a terminal
//! and only after a second) is the front end's job, in [`crate::workflow`].

use std::sync::atomic::{AtomicU8, AtomicUsize, Ordering};

/// A phase of a generation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Phase {
    /// Reading and parsing the spec.
    Parsing,
    /// Building the IR.
    Lowering,
    /// Writing Rust files (see [`Progress::files`]).
    Emitting,
    /// Finished (successfully or not).
    Done,
}

/// Shared counters a generation updates as it goes.
#[derive(Debug, Default)]
pub struct Progress {
    phase: AtomicU8,
    done: AtomicUsize,
    total: AtomicUsize,
}

impl Progress {
    /// A fresh progress (phase [`Phase::Parsing`]).
    pub fn new() -> Self {
        Self::default()
    }

    /// The current phase.
    pub fn phase(&self) -> Phase {
        match self.phase.load(Ordering::Relaxed) {
            0 => Phase::Parsing,
            1 => Phase::Lowering,
            2 => Phase::Emitting,
            _ => Phase::Done,
        }
    }

    /// Files emitted so far and in all (while [`Phase::Emitting`]).
    pub fn files(&self) -> (usize, usize) {
        (
            self.done.load(Ordering::Relaxed),
            self.total.load(Ordering::Relaxed),
        )
    }

    pub(crate) fn set_phase(&self, phase: Phase) {
        let n = match phase {
            Phase::Parsing => 0,
            Phase::Lowering => 1,
            Phase::Emitting => 2,
            Phase::Done => 3,
        };
        self.phase.store(n, Ordering::Relaxed);
    }

    pub(crate) fn start_files(&self, total: usize) {
        self.done.store(0, Ordering::Relaxed);
        self.total.store(total, Ordering::Relaxed);
        self.set_phase(Phase::Emitting);
    }

    pub(crate) fn file_done(&self) {
        self.done.fetch_add(1, Ordering::Relaxed);
    }
}
