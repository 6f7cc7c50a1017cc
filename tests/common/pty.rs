//! Runs the built binary in a pseudo-terminal and reads its screen with vt100. Waits are
//! bounded by a timeout and woken by output, never fixed sleeps.

use std::io::{Read, Write};
use std::path::Path;
use std::sync::{Arc, Condvar, Mutex};
use std::time::{Duration, Instant};

use portable_pty::{Child, CommandBuilder, MasterPty, PtySize, native_pty_system};

pub const TIMEOUT: Duration = Duration::from_secs(20);

struct Shared {
    parser: vt100::Parser,
    raw: Vec<u8>,
    eof: bool,
}

pub struct Pty {
    child: Box<dyn Child + Send + Sync>,
    writer: Box<dyn Write + Send>,
    master: Box<dyn MasterPty + Send>,
    state: Arc<(Mutex<Shared>, Condvar)>,
}

impl Pty {
    pub fn spawn(home: &Path, args: &[&str], extra_env: &[(&str, &str)]) -> Pty {
        let pair = native_pty_system()
            .openpty(PtySize {
                rows: 30,
                cols: 100,
                pixel_width: 0,
                pixel_height: 0,
            })
            .unwrap();
        let mut cmd = CommandBuilder::new(env!("CARGO_BIN_EXE_sdcoach"));
        cmd.args(args);
        cmd.env("TERM", "xterm-256color");
        cmd.env("SDCOACH_DATA_DIR", home.join("data"));
        cmd.env("SDCOACH_CONFIG_DIR", home.join("config"));
        cmd.env_remove("NO_COLOR");
        for (k, v) in extra_env {
            cmd.env(k, v);
        }
        let child = pair.slave.spawn_command(cmd).unwrap();
        drop(pair.slave);
        let mut reader = pair.master.try_clone_reader().unwrap();
        let writer = pair.master.take_writer().unwrap();
        let state = Arc::new((
            Mutex::new(Shared {
                parser: vt100::Parser::new(
                    std::num::NonZeroU16::new(30).unwrap(),
                    std::num::NonZeroU16::new(100).unwrap(),
                    0,
                ),
                raw: Vec::new(),
                eof: false,
            }),
            Condvar::new(),
        ));
        let st = Arc::clone(&state);
        std::thread::spawn(move || {
            let mut buf = [0u8; 8192];
            loop {
                let n = reader.read(&mut buf).unwrap_or(0);
                let (lock, cv) = &*st;
                let mut s = lock.lock().unwrap();
                if n == 0 {
                    s.eof = true;
                    cv.notify_all();
                    return;
                }
                s.parser.process(&buf[..n]);
                s.raw.extend_from_slice(&buf[..n]);
                cv.notify_all();
            }
        });
        Pty {
            child,
            writer,
            master: pair.master,
            state,
        }
    }

    pub fn screen(&self) -> String {
        self.state.0.lock().unwrap().parser.screen().contents()
    }

    /// Everything the program wrote, as lossy text.
    pub fn output(&self) -> String {
        String::from_utf8_lossy(&self.state.0.lock().unwrap().raw).into_owned()
    }

    fn wait_until(&self, what: &str, mut done: impl FnMut(&Shared) -> bool) {
        let (lock, cv) = &*self.state;
        let deadline = Instant::now() + TIMEOUT;
        let mut s = lock.lock().unwrap();
        while !done(&s) {
            let left = deadline.saturating_duration_since(Instant::now());
            assert!(
                !left.is_zero(),
                "timed out waiting for {what}; screen:\n{}",
                s.parser.screen().contents()
            );
            s = cv.wait_timeout(s, left).unwrap().0;
        }
    }

    pub fn wait_for(&self, text: &str) {
        self.wait_until(&format!("{text:?}"), |s| {
            s.parser.screen().contents().contains(text)
        });
    }

    pub fn wait_gone(&self, text: &str) {
        self.wait_until(&format!("{text:?} to go"), |s| {
            !s.parser.screen().contents().contains(text)
        });
    }

    /// Waits until the terminal cursor is shown at (row, column), or hidden with `None`.
    pub fn wait_cursor(&self, at: Option<(u16, u16)>) {
        self.wait_until(&format!("the cursor at {at:?}"), |s| {
            let sc = s.parser.screen();
            let shown = (!sc.hide_cursor()).then(|| sc.cursor_position());
            shown == at
        });
    }

    pub fn send(&mut self, bytes: &[u8]) {
        self.writer.write_all(bytes).unwrap();
        self.writer.flush().unwrap();
    }

    pub fn type_text(&mut self, text: &str) {
        self.send(text.as_bytes());
    }

    /// Resizes the terminal (the program gets SIGWINCH) and the screen model with it. The model
    /// is resized first, so every frame drawn after the signal is read at the new size.
    pub fn resize(&mut self, cols: u16, rows: u16) {
        self.state.0.lock().unwrap().parser.screen_mut().set_size(
            std::num::NonZeroU16::new(rows.max(1)).unwrap(),
            std::num::NonZeroU16::new(cols.max(1)).unwrap(),
        );
        self.master
            .resize(PtySize {
                rows,
                cols,
                pixel_width: 0,
                pixel_height: 0,
            })
            .unwrap();
    }

    pub fn pid(&self) -> u32 {
        self.child.process_id().unwrap()
    }

    pub fn signal(&self, sig: &str) {
        let status = std::process::Command::new("kill")
            .args([format!("-{sig}"), self.pid().to_string()])
            .status()
            .unwrap();
        assert!(status.success());
    }

    /// Waits for the program to end (its side of the pty closes) and returns the exit code.
    pub fn wait_exit(&mut self) -> u32 {
        self.wait_until("exit", |s| s.eof);
        self.child.wait().unwrap().exit_code()
    }

    /// Terminal modes after exit: (alternate screen, cursor hidden, bracketed paste).
    pub fn modes(&self) -> (bool, bool, bool) {
        let s = self.state.0.lock().unwrap();
        let sc = s.parser.screen();
        (
            sc.alternate_screen(),
            sc.hide_cursor(),
            sc.bracketed_paste(),
        )
    }
}

impl Drop for Pty {
    fn drop(&mut self) {
        let _ = self.child.kill();
    }
}
