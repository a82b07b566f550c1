//! JSON-RPC over stdio, framed by `Content-Length` headers. lsp-server's own reader
//! ends the connection on the first malformed message; an editor's server must answer
//! it instead (JSON-RPC's parse error, `-32700`, or invalid request, `-32600`) and go
//! on, and must not allocate whatever length a header claims.

use std::io::{self, BufRead, Read, Write};

use crossbeam_channel::{Receiver, Sender};
use lsp_server::{Connection, Message};

use crate::jsonrpc::{error, parse, skip_line};

/// The largest message read: a design may be 64 MiB (docs/cli.md), with room for JSON.
const MAX_MESSAGE: usize = 80 << 20;

/// A connection over stdin and stdout, and the threads that move its messages.
pub fn stdio() -> (Connection, Threads) {
    let (to_writer, outgoing) = crossbeam_channel::unbounded::<Message>();
    let (to_server, incoming) = crossbeam_channel::bounded::<Message>(64);
    let writer = std::thread::spawn(move || write_all(&outgoing));
    let reader = std::thread::spawn(move || {
        read_all(&mut io::stdin().lock(), &to_server, &mut |raw| {
            // What could not be read is answered at once, with no id to name; each
            // frame is written under stdout's lock, so frames never interleave.
            let mut stdout = io::stdout().lock();
            let _ = write!(stdout, "Content-Length: {}\r\n\r\n{raw}", raw.len());
            let _ = stdout.flush();
        })
    });
    let connection = Connection {
        sender: to_writer,
        receiver: incoming,
    };
    (connection, Threads { reader, writer })
}

pub struct Threads {
    reader: std::thread::JoinHandle<io::Result<()>>,
    writer: std::thread::JoinHandle<io::Result<()>>,
}

impl Threads {
    /// Waits for both threads once the server has dropped its connection.
    pub fn join(self) -> io::Result<()> {
        // The reader may be blocked on stdin after `exit`; it ends with the process.
        drop(self.reader);
        self.writer.join().unwrap_or(Ok(()))
    }
}

fn write_all(outgoing: &Receiver<Message>) -> io::Result<()> {
    for message in outgoing {
        let mut stdout = io::stdout().lock();
        message.write(&mut stdout)?;
        stdout.flush()?;
    }
    Ok(())
}

/// Reads messages until the input ends; what cannot be read as a message is answered
/// through `reply` (the JSON of a response with a null id) and skipped.
pub fn read_all(
    input: &mut impl BufRead,
    to_server: &Sender<Message>,
    reply: &mut dyn FnMut(String),
) -> io::Result<()> {
    let mut input = Resync {
        input,
        pending: Vec::new(),
        at: 0,
    };
    loop {
        let text = match frame(&mut input)? {
            Frame::End => return Ok(()),
            Frame::Text(text) => text,
            Frame::Bad(why) => {
                reply(error(lsp_server::ErrorCode::ParseError, why));
                continue;
            }
        };
        let parsed = parse(&text).or_else(|error| {
            // A frame shorter than its Content-Length swallowed the start of the next
            // one: its message is the JSON value the body starts with, and what follows
            // it is read again as the next frame's header.
            let (message, rest) = first_value(&text).ok_or(error)?;
            input.put_back(rest.as_bytes());
            Ok(message)
        });
        match parsed {
            Ok(message) => {
                if to_server.send(message).is_err() {
                    return Ok(());
                }
            }
            Err((code, why)) => reply(error(code, why)),
        }
    }
}

enum Frame {
    End,
    Text(String),
    Bad(String),
}

/// The longest header line read; past it, the rest of the line is skipped.
const MAX_HEADER: u64 = 8 << 10;

/// One message's text, or why the bytes were no message. Headers are read as bytes
/// (a header that is not UTF-8 is a bad message, not a broken connection).
fn frame(input: &mut Resync<impl BufRead>) -> io::Result<Frame> {
    let mut length = None;
    let mut line = Vec::new();
    loop {
        line.clear();
        let read = io::Read::take(&mut *input, MAX_HEADER).read_until(b'\n', &mut line)?;
        if read == 0 {
            return Ok(Frame::End);
        }
        if !line.ends_with(b"\n") && read as u64 == MAX_HEADER {
            skip_line(input)?;
            return Ok(Frame::Bad("a header line over 8 KiB".to_owned()));
        }
        let header = String::from_utf8_lossy(&line);
        let header = header.trim_end_matches(['\r', '\n']);
        if header.is_empty() {
            if length.is_some() {
                break;
            }
            continue;
        }
        if let Some((name, value)) = header.split_once(':') {
            if name.trim().eq_ignore_ascii_case("content-length") {
                length = value.trim().parse::<usize>().ok();
                if length.is_none() {
                    return Ok(Frame::Bad(format!("bad Content-Length: {value:?}")));
                }
            }
        } else {
            return Ok(Frame::Bad(format!("not a header: {header:?}")));
        }
    }
    let length = length.unwrap_or(0);
    if length > MAX_MESSAGE {
        // Skip it without holding it.
        io::copy(
            &mut io::Read::take(&mut *input, length as u64),
            &mut io::sink(),
        )?;
        return Ok(Frame::Bad(format!(
            "a message of {length} bytes is over the limit"
        )));
    }
    let mut bytes = vec![0; length];
    input.read_exact(&mut bytes)?;
    Ok(match String::from_utf8(bytes) {
        Ok(text) => Frame::Text(text),
        Err(_) => Frame::Bad("the message is not UTF-8".to_owned()),
    })
}

/// The input, with bytes put back in front of it (the start of a frame that a short
/// one before it swallowed).
struct Resync<'a, R: BufRead> {
    input: &'a mut R,
    pending: Vec<u8>,
    at: usize,
}

impl<R: BufRead> Resync<'_, R> {
    fn put_back(&mut self, bytes: &[u8]) {
        let mut pending = bytes.to_vec();
        pending.extend_from_slice(&self.pending[self.at..]);
        self.pending = pending;
        self.at = 0;
    }
}

impl<R: BufRead> io::Read for Resync<'_, R> {
    fn read(&mut self, buffer: &mut [u8]) -> io::Result<usize> {
        let available = self.fill_buf()?;
        let n = available.len().min(buffer.len());
        buffer[..n].copy_from_slice(&available[..n]);
        self.consume(n);
        Ok(n)
    }
}

impl<R: BufRead> BufRead for Resync<'_, R> {
    fn fill_buf(&mut self) -> io::Result<&[u8]> {
        if self.at < self.pending.len() {
            return Ok(&self.pending[self.at..]);
        }
        self.input.fill_buf()
    }

    fn consume(&mut self, amount: usize) {
        if self.at < self.pending.len() {
            self.at = (self.at + amount).min(self.pending.len());
            if self.at == self.pending.len() {
                self.pending.clear();
                self.at = 0;
            }
        } else {
            self.input.consume(amount);
        }
    }
}

/// A message at the start of `text` followed by more than white space: the message and
/// the rest.
fn first_value(text: &str) -> Option<(Message, &str)> {
    let mut values = serde_json::Deserializer::from_str(text).into_iter::<serde_json::Value>();
    let value = values.next()?.ok()?;
    let rest = &text[values.byte_offset()..];
    if rest.trim().is_empty() {
        return None;
    }
    Some((serde_json::from_value(value).ok()?, rest))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn frame_of(body: &str) -> Vec<u8> {
        format!("Content-Length: {}\r\n\r\n{body}", body.len()).into_bytes()
    }

    /// What `read_all` makes of `input`: the messages passed on, and the errors
    /// answered.
    fn read(input: &[u8]) -> (Vec<Message>, Vec<String>) {
        let (sender, receiver) = crossbeam_channel::unbounded();
        let mut replies = Vec::new();
        read_all(&mut io::Cursor::new(input), &sender, &mut |r| {
            replies.push(r)
        })
        .unwrap();
        drop(sender);
        (receiver.iter().collect(), replies)
    }

    #[test]
    fn a_bad_message_is_answered_and_the_next_one_read() {
        let mut input = frame_of("{ not json");
        input.extend(frame_of(r#"{"jsonrpc":"2.0","result":1}"#));
        input.extend(frame_of(
            r#"{"jsonrpc":"2.0","method":"initialized","params":{}}"#,
        ));
        let (messages, replies) = read(&input);
        assert_eq!(messages.len(), 1, "the notification gets through");
        assert_eq!(replies.len(), 2);
        assert!(replies[0].contains("-32700") && replies[0].contains("\"id\":null"));
        assert!(replies[1].contains("-32600"));
    }

    #[test]
    fn a_header_that_is_not_utf8_or_never_ends_is_answered() {
        let mut input = b"Content-\xff\xfe: 3\r\n\r\n".to_vec();
        input.extend(vec![b'x'; 100_000]);
        input.extend(b"\r\n\r\n");
        input.extend(frame_of(r#"{"jsonrpc":"2.0","method":"exit"}"#));
        let (messages, replies) = read(&input);
        assert_eq!(messages.len(), 1, "{replies:?}");
        assert!(
            replies.iter().any(|r| r.contains("over 8 KiB")),
            "{replies:?}"
        );
    }

    #[test]
    fn a_frame_shorter_than_its_length_arrives_and_the_frames_after_it_too() {
        // The first frame claims 10 bytes more than it has: it swallows the start of
        // the next frame's header.
        let short = r#"{"jsonrpc":"2.0","method":"initialized","params":{}}"#;
        let mut input = format!("Content-Length: {}\r\n\r\n{short}", short.len() + 10).into_bytes();
        input.extend(frame_of(r#"{"jsonrpc":"2.0","id":1,"method":"shutdown"}"#));
        input.extend(frame_of(r#"{"jsonrpc":"2.0","method":"exit"}"#));
        let (messages, replies) = read(&input);
        assert_eq!(messages.len(), 3, "{replies:?}");
        assert!(replies.is_empty(), "{replies:?}");
        // A body may say `Content-Length:` itself: valid JSON is never cut.
        let quoted = r#"{"jsonrpc":"2.0","method":"x","params":{"text":"Content-Length: 5"}}"#;
        let (messages, replies) = read(&frame_of(quoted));
        assert_eq!((messages.len(), replies.len()), (1, 0));
    }

    #[test]
    fn a_huge_length_is_skipped_not_allocated() {
        let input = format!("Content-Length: {}\r\n\r\n{{}}", usize::MAX);
        let (messages, replies) = read(input.as_bytes());
        assert!(messages.is_empty());
        assert!(replies[0].contains("over the limit"), "{replies:?}");
    }

    proptest! {
        /// Any bytes: read to the end without an error, a panic or a hang; a message
        /// after the noise and a line break still arrives.
        #[test]
        fn any_bytes_are_survived(noise in proptest::collection::vec(any::<u8>(), 0..300)) {
            let mut input: Vec<u8> = noise.iter().map(|&b| if b == b'\n' { b' ' } else { b }).collect();
            read(&input);
            input.extend(b"\n\r\n");
            input.extend(frame_of(r#"{"jsonrpc":"2.0","method":"exit"}"#));
            let (messages, _) = read(&input);
            prop_assert_eq!(messages.len(), 1);
        }
    }
}
