//! Standard output and standard error for every command. A reader that left
//! (`hld rules | head -1`) ends the output, not the command: what follows is dropped
//! quietly and the exit code stays the command's, as with other Unix tools. Any other
//! failure to write stdout (a full disk behind a redirection) is remembered and makes
//! the run fail with exit code 2; stderr is written when it can be, never panicking
//! (`print!` and `eprint!` panic when they cannot write).

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

/// Standard output as a writer, for output streamed as it is made (a large JSON
/// document): errors are handled as [`write_bytes`] handles them, never returned.
pub struct Stdout;

impl Write for Stdout {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        let mut stdout = std::io::stdout().lock();
        if let Err(error) = stdout.write_all(bytes) {
            remember(&error);
        }
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        if let Err(error) = std::io::stdout().lock().flush() {
            remember(&error);
        }
        Ok(())
    }
}

/// Writes to stderr, dropping what cannot be written (there is nowhere left to say so).
pub fn write_error(args: fmt::Arguments<'_>) {
    let mut stderr = std::io::stderr().lock();
    let _ = stderr.write_fmt(args).and_then(|()| stderr.flush());
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

/// `eprint!` through [`write_error`].
macro_rules! err {
    ($($arg:tt)*) => { $crate::cli::output::write_error(format_args!($($arg)*)) };
}

/// `eprintln!` through [`write_error`].
macro_rules! errln {
    () => { $crate::cli::output::write_error(format_args!("\n")) };
    ($($arg:tt)*) => {{
        $crate::cli::output::write_error(format_args!($($arg)*));
        $crate::cli::output::write_error(format_args!("\n"));
    }};
}

pub(crate) use {err, errln, out, outln};
