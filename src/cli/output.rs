//! Standard output for every command. A reader that left (`hld rules | head -1`) ends
//! the output, not the command: what follows is dropped quietly and the exit code
//! stays the command's, as with other Unix tools. Any other failure to write (a full
//! disk behind a redirection) is remembered and makes the run fail with exit code 2.

use std::fmt;
use std::io::{ErrorKind, Write};
use std::sync::Mutex;

/// The first write error other than a closed pipe, reported when the command ends.
static FAILURE: Mutex<Option<String>> = Mutex::new(None);

/// Writes to stdout; see the module's documentation for what happens on errors.
pub fn write_bytes(bytes: &[u8]) {
    let mut stdout = std::io::stdout().lock();
    if let Err(error) = stdout.write_all(bytes).and_then(|()| stdout.flush()) {
        remember(&error);
    }
}

pub fn write_fmt(args: fmt::Arguments<'_>) {
    match args.as_str() {
        Some(text) => write_bytes(text.as_bytes()),
        None => write_bytes(args.to_string().as_bytes()),
    }
}

fn remember(error: &std::io::Error) {
    if error.kind() == ErrorKind::BrokenPipe {
        return;
    }
    let mut failure = FAILURE.lock().unwrap_or_else(|p| p.into_inner());
    failure.get_or_insert_with(|| error.to_string());
}

/// Why writing to stdout failed, if it did (a closed pipe is not a failure).
pub fn failure() -> Option<String> {
    FAILURE.lock().unwrap_or_else(|p| p.into_inner()).clone()
}

/// `print!` through [`write_fmt`].
macro_rules! out {
    ($($arg:tt)*) => { $crate::cli::output::write_fmt(format_args!($($arg)*)) };
}

/// `println!` through [`write_fmt`].
macro_rules! outln {
    () => { $crate::cli::output::write_bytes(b"\n") };
    ($($arg:tt)*) => {{
        $crate::cli::output::write_fmt(format_args!($($arg)*));
        $crate::cli::output::write_bytes(b"\n");
    }};
}

pub(crate) use {out, outln};
