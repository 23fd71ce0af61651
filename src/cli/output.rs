//! Writing files: what archflow promises about every file it writes.
//!
//! - **Regular files** (and paths that do not exist yet) are written atomically: the bytes go to
//!   a temporary file in the same folder, which is flushed to disk and renamed over the file;
//!   then the folder is flushed, so the rename survives a crash too. A reader sees the old file
//!   or the new one, never a mix. An existing file keeps its permissions (a `0600` file stays
//!   `0600`) and, where archflow may set it, its owner.
//! - **Symbolic links** are followed: the file they point at is written, the link stays.
//! - **Special files** (a device such as `/dev/null`, a terminal, a FIFO, `/dev/stdout`) cannot be
//!   replaced without destroying them: they are written through, in place. `-` is standard
//!   output.
//! - **Temporary names** hold the process id and a random part and are created exclusively
//!   (`O_EXCL`), so a file left behind by a killed run never gets in the way of a later one.
//! - **Unchanged files are left alone**: a regular file that already holds the new bytes is not
//!   written again, so it keeps its time stamp (and a tool watching it sees no change).
//! - **Several files** ([`write_all`], for `build` and `export`) are a unit: every file is
//!   written to its temporary name first, and only when all of them are on disk are they renamed
//!   into place. A failure before that leaves every old file as it was; a failure while renaming
//!   puts the old files back. A large batch is staged by several threads at once, so that the
//!   disk flushes of many files overlap.
//! - **Inputs are never outputs** ([`Inputs`]): a command refuses to write over a file it read,
//!   compared by device and inode, so links and other spellings of the path are caught too.

use std::ffi::OsString;
use std::fs::{self, File, Metadata};
use std::io::{self, Write as _};
use std::path::{Path, PathBuf};
use std::sync::{Mutex, PoisonError};

/// How many symbolic links are followed before giving up (as the kernel does).
const MAX_LINKS: usize = 40;

/// Where the bytes for a path go.
#[derive(Debug)]
enum Destination {
    /// Standard output (`-`).
    Stdout,
    /// A device, FIFO or other special file, written through in place.
    Special(PathBuf),
    /// A regular file (or none yet) at this path, symbolic links resolved; replaced atomically.
    Regular {
        path: PathBuf,
        existing: Option<Metadata>,
    },
}

/// Where writing `path` puts the bytes.
fn destination(path: &Path) -> io::Result<Destination> {
    if path == Path::new("-") {
        return Ok(Destination::Stdout);
    }
    match fs::metadata(path) {
        Ok(meta) if meta.is_dir() => Err(io::Error::new(
            io::ErrorKind::IsADirectory,
            "it is a folder",
        )),
        Ok(meta) if meta.is_file() => Ok(Destination::Regular {
            // `canonicalize` also resolves the kernel's own links (`/dev/stdout` when standard
            // output is a file); a path it cannot resolve is followed link by link.
            path: fs::canonicalize(path).or_else(|_| follow_links(path))?,
            existing: Some(meta),
        }),
        Ok(meta) => {
            if is_socket(&meta) {
                return Err(io::Error::new(
                    io::ErrorKind::InvalidInput,
                    "it is a socket, which cannot be written as a file",
                ));
            }
            Ok(Destination::Special(path.to_path_buf()))
        }
        // A dangling link: its target is created.
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(Destination::Regular {
            path: follow_links(path)?,
            existing: None,
        }),
        Err(e) => Err(e),
    }
}

/// `path` with every symbolic link along the last component followed, whether or not the final
/// target exists.
fn follow_links(path: &Path) -> io::Result<PathBuf> {
    let mut at = path.to_path_buf();
    for _ in 0..MAX_LINKS {
        match fs::symlink_metadata(&at) {
            Ok(meta) if meta.file_type().is_symlink() => {
                let target = fs::read_link(&at)?;
                at = match at.parent() {
                    Some(dir) if target.is_relative() => dir.join(target),
                    _ => target,
                };
            }
            Ok(_) => return Ok(at),
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(at),
            Err(e) => return Err(e),
        }
    }
    Err(io::Error::other("too many levels of symbolic links"))
}

/// The folder a file is in (`.` for a bare name).
fn folder(path: &Path) -> &Path {
    match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    }
}

/// Write `bytes` to `path` as the module documentation says: atomically for a regular file
/// (keeping its mode), in place for a special file, through symbolic links, `-` to standard
/// output.
pub(crate) fn write(path: &Path, bytes: &[u8]) -> io::Result<()> {
    match destination(path)? {
        Destination::Stdout => write_stdout(bytes),
        Destination::Special(path) => write_through(&path, bytes),
        Destination::Regular { path, existing } => {
            if existing
                .as_ref()
                .is_some_and(|meta| holds(&path, meta, bytes))
            {
                return Ok(());
            }
            let staged = Staged::write(&path, existing.as_ref(), bytes)?;
            staged.commit()?;
            sync_folder(folder(&path))
        }
    }
}

fn write_stdout(bytes: &[u8]) -> io::Result<()> {
    let mut out = io::stdout().lock();
    match out.write_all(bytes).and_then(|()| out.flush()) {
        // A closed pipe (`| head`) is not an error, as when printing.
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => Ok(()),
        other => other,
    }
}

/// Write into an existing special file without replacing it.
fn write_through(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let mut f = fs::OpenOptions::new().write(true).open(path)?;
    f.write_all(bytes)?;
    f.flush()
}

/// Flush a folder's entries (a rename) to disk. File systems that cannot are not an error.
fn sync_folder(dir: &Path) -> io::Result<()> {
    match File::open(dir).and_then(|d| d.sync_all()) {
        Err(e)
            if matches!(
                e.kind(),
                io::ErrorKind::InvalidInput
                    | io::ErrorKind::Unsupported
                    | io::ErrorKind::PermissionDenied
            ) =>
        {
            Ok(())
        }
        other => other,
    }
}

/// A temporary name next to `path` that no other run uses: `.NAME.archflow-PID-RANDOM.tmp`.
fn temp_name(path: &Path) -> PathBuf {
    use std::hash::{BuildHasher as _, Hasher as _};
    use std::sync::atomic::{AtomicU64, Ordering};
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    // `RandomState` is seeded randomly for each process; the counter and the clock make each
    // name of one process differ too.
    let mut h = std::collections::hash_map::RandomState::new().build_hasher();
    h.write_u64(COUNTER.fetch_add(1, Ordering::Relaxed));
    h.write_u128(
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos()),
    );
    let name = path
        .file_name()
        .map_or_else(|| "out".to_owned(), |n| n.to_string_lossy().into_owned());
    // Long names are cut, so the temporary name stays within 255 bytes.
    let name: String = name
        .char_indices()
        .take_while(|&(i, c)| i + c.len_utf8() <= 200)
        .map(|(_, c)| c)
        .collect();
    let mut tmp = OsString::from(".");
    tmp.push(name);
    tmp.push(format!(
        ".archflow-{}-{:08x}.tmp",
        std::process::id(),
        h.finish() & 0xffff_ffff
    ));
    folder(path).join(tmp)
}

/// A new file's bytes on disk under a temporary name, waiting to be renamed into place.
#[derive(Debug)]
struct Staged {
    tmp: PathBuf,
    path: PathBuf,
}

impl Staged {
    /// Write `bytes` to a fresh temporary file next to `path`, flushed, with the mode (and owner)
    /// of the `existing` file.
    fn write(path: &Path, existing: Option<&Metadata>, bytes: &[u8]) -> io::Result<Self> {
        let mut attempts = 0;
        let (tmp, mut f) = loop {
            let tmp = temp_name(path);
            match fs::OpenOptions::new()
                .write(true)
                .create_new(true)
                .open(&tmp)
            {
                Ok(f) => break (tmp, f),
                Err(e) if e.kind() == io::ErrorKind::AlreadyExists && attempts < 16 => {
                    attempts += 1;
                }
                Err(e) => return Err(e),
            }
        };
        let staged = Self {
            tmp,
            path: path.to_path_buf(),
        };
        let written = (|| {
            f.write_all(bytes)?;
            if let Some(meta) = existing {
                keep_owner(&f, meta);
                f.set_permissions(meta.permissions())?;
            }
            f.sync_all()
        })();
        match written {
            Ok(()) => Ok(staged),
            Err(e) => {
                staged.discard();
                Err(e)
            }
        }
    }

    /// Rename the temporary file into place; on failure it is removed.
    fn commit(&self) -> io::Result<()> {
        fs::rename(&self.tmp, &self.path).inspect_err(|_| self.discard())
    }

    fn discard(&self) {
        let _ = fs::remove_file(&self.tmp);
    }
}

/// Give the new file the old one's owner and group, when archflow may (as root); otherwise the
/// new file is archflow's, as with any editor.
#[cfg(unix)]
fn keep_owner(f: &File, meta: &Metadata) {
    use std::os::unix::fs::MetadataExt as _;
    if let Ok(now) = f.metadata()
        && (now.uid(), now.gid()) != (meta.uid(), meta.gid())
    {
        let _ = std::os::unix::fs::fchown(f, Some(meta.uid()), Some(meta.gid()));
    }
}

#[cfg(not(unix))]
fn keep_owner(_: &File, _: &Metadata) {}

#[cfg(unix)]
fn is_socket(meta: &Metadata) -> bool {
    use std::os::unix::fs::FileTypeExt as _;
    meta.file_type().is_socket()
}

#[cfg(not(unix))]
fn is_socket(_: &Metadata) -> bool {
    false
}

/// A file's identity: its device and inode (through symbolic links). `None` when it does not
/// exist or is not a regular file (a device or FIFO is a stream, never overwritten).
#[cfg(unix)]
fn identity(path: &Path) -> Option<(u64, u64)> {
    use std::os::unix::fs::MetadataExt as _;
    let meta = fs::metadata(path).ok()?;
    meta.is_file().then(|| (meta.dev(), meta.ino()))
}

#[cfg(not(unix))]
fn identity(path: &Path) -> Option<PathBuf> {
    let meta = fs::metadata(path).ok()?;
    if meta.is_file() {
        fs::canonicalize(path).ok()
    } else {
        None
    }
}

/// The files a command read, so that it never writes over one of them.
#[derive(Debug, Default)]
pub(crate) struct Inputs {
    read: Vec<Input>,
}

#[derive(Debug)]
struct Input {
    /// What the file is to the command, as a noun phrase: "the model", "a template".
    role: String,
    shown: String,
    #[cfg(unix)]
    id: (u64, u64),
    #[cfg(not(unix))]
    id: PathBuf,
}

impl Inputs {
    /// Note that the command reads `path` as `role` ("the model", "the compose file").
    /// Standard input and files that do not exist (yet) are ignored.
    pub(crate) fn add(&mut self, path: &Path, role: &str) {
        if path == Path::new("-") {
            return;
        }
        if let Some(id) = identity(path) {
            self.read.push(Input {
                role: role.to_owned(),
                shown: path.display().to_string(),
                id,
            });
        }
    }

    /// Why `output` may not be written: it is one of the inputs. The message says which.
    pub(crate) fn conflict(&self, output: &Path) -> Option<String> {
        if output == Path::new("-") {
            return None;
        }
        let id = identity(output)?;
        let input = self.read.iter().find(|i| i.id == id)?;
        let out = output.display();
        Some(if input.role == "the model" {
            format!(
                "`{out}` is the model itself: writing there would replace it (nothing was written)"
            )
        } else if input.shown == out.to_string() {
            format!(
                "`{out}` is {}: writing there would replace it (nothing was written)",
                input.role
            )
        } else {
            format!(
                "`{out}` is `{}`, {}: writing there would replace it (nothing was written)",
                input.shown, input.role
            )
        })
    }
}

/// Why [`write_all`] failed, and what it left.
#[derive(Debug)]
pub(crate) struct BatchError {
    /// The file that could not be written.
    pub path: PathBuf,
    pub error: io::Error,
    /// Files that now hold this run's bytes although the run failed (empty unless putting the
    /// old files back failed too).
    pub new: Vec<PathBuf>,
}

/// What [`write_all`] did with one file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Outcome {
    Written,
    /// The file already held these bytes: it was left as it was.
    Unchanged,
}

/// Write several files as a unit (see the module documentation): every file is staged first;
/// nothing is replaced unless all of them could be written. Special files and `-` are written
/// last, after every regular file is in place (they cannot be taken back). Returns what was done
/// with each file, in the batch's order.
pub(crate) fn write_all(files: &[(PathBuf, &[u8])]) -> Result<Vec<Outcome>, BatchError> {
    let fail = |path: &Path, error: io::Error| BatchError {
        path: path.to_path_buf(),
        error,
        new: Vec::new(),
    };
    // 1. Where each file goes; a folder in the way fails here, before anything is written.
    let mut regular = Vec::new();
    let mut special = Vec::new();
    let mut outcomes = vec![Outcome::Written; files.len()];
    // Where each regular file's outcome goes.
    let mut slot = Vec::new();
    for (i, (path, bytes)) in files.iter().enumerate() {
        match destination(path).map_err(|e| fail(path, e))? {
            Destination::Regular { path: to, existing } => {
                regular.push((path.as_path(), to, existing, *bytes));
                slot.push(i);
            }
            other => special.push((path.as_path(), other, *bytes)),
        }
    }
    // 2. Every regular file on disk under its temporary name.
    let mut staged: Vec<(&Path, Staged, bool)> = Vec::with_capacity(regular.len());
    match stage_all(&regular) {
        Ok(all) => {
            for (((shown, _, existing, _), s), &i) in regular.iter().zip(all).zip(&slot) {
                match s {
                    Some(s) => staged.push((*shown, s, existing.is_some())),
                    None => outcomes[i] = Outcome::Unchanged,
                }
            }
        }
        Err((i, e)) => return Err(fail(regular[i].0, e)),
    }
    // 3. Rename them into place, keeping a link to each old file to put it back on failure.
    let mut done: Vec<Renamed<'_>> = Vec::with_capacity(staged.len());
    for (i, (shown, s, existed)) in staged.iter().enumerate() {
        let backup = existed.then(|| temp_name(&s.path));
        let backup = backup.filter(|b| fs::hard_link(&s.path, b).is_ok());
        if let Err(e) = fs::rename(&s.tmp, &s.path) {
            if let Some(b) = &backup {
                let _ = fs::remove_file(b);
            }
            for (_, later, _) in &staged[i..] {
                later.discard();
            }
            let new = roll_back(&done);
            return Err(BatchError {
                path: shown.to_path_buf(),
                error: e,
                new,
            });
        }
        done.push(Renamed {
            shown,
            staged: s,
            existed: *existed,
            backup,
        });
    }
    for r in &done {
        if let Some(b) = &r.backup {
            let _ = fs::remove_file(b);
        }
    }
    let mut folders: Vec<&Path> = done.iter().map(|r| folder(&r.staged.path)).collect();
    folders.sort();
    folders.dedup();
    for dir in folders {
        sync_folder(dir).map_err(|e| fail(dir, e))?;
    }
    // 4. Special files, in place.
    for (shown, dest, bytes) in special {
        match dest {
            Destination::Stdout => write_stdout(bytes),
            Destination::Special(p) => write_through(&p, bytes),
            Destination::Regular { .. } => Ok(()),
        }
        .map_err(|e| fail(shown, e))?;
    }
    Ok(outcomes)
}

/// How many files [`stage_all`] writes at once. Writing a file takes little processor time;
/// flushing it waits for the disk, and the file system commits flushes that wait together in one
/// journal write, so a 20,000-file `build` flushes several times faster with more of them
/// waiting at once (see BENCHMARKS.md).
const STAGERS: usize = 16;

/// Every file of `files` (shown path, destination, old file, bytes) written and flushed under
/// its temporary name, by up to [`STAGERS`] threads; the staged files in the same order, `None`
/// for a file that already holds its bytes. On a failure every staged file is removed again, and
/// the error is the first failing file's (in the batch's order) with its index.
fn stage_all(
    files: &[(&Path, PathBuf, Option<Metadata>, &[u8])],
) -> Result<Vec<Option<Staged>>, (usize, io::Error)> {
    use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
    let stage = |i: usize| {
        let (_, to, existing, bytes) = &files[i];
        if existing.as_ref().is_some_and(|meta| holds(to, meta, bytes)) {
            return Ok(None);
        }
        Staged::write(to, existing.as_ref(), bytes).map(Some)
    };
    // Each file's result, or `None` for a file no one took after a failure. One worker takes the
    // next file until there is none or one has failed; a small batch has one worker, here.
    let next = AtomicUsize::new(0);
    let failed = AtomicBool::new(false);
    let slots: Mutex<Vec<Option<io::Result<Option<Staged>>>>> =
        Mutex::new((0..files.len()).map(|_| None).collect());
    let work = || {
        while !failed.load(Ordering::Relaxed) {
            let i = next.fetch_add(1, Ordering::Relaxed);
            if i >= files.len() {
                break;
            }
            let r = stage(i);
            if r.is_err() {
                failed.store(true, Ordering::Relaxed);
            }
            slots.lock().unwrap_or_else(PoisonError::into_inner)[i] = Some(r);
        }
    };
    let threads = STAGERS.min(files.len() / 4);
    if threads < 2 {
        work();
    } else {
        std::thread::scope(|s| {
            for _ in 0..threads {
                s.spawn(work);
            }
        });
    }
    let results = slots.into_inner().unwrap_or_else(PoisonError::into_inner);
    if results.iter().all(|r| matches!(r, Some(Ok(_)))) {
        return Ok(results.into_iter().flatten().flatten().collect());
    }
    let mut first = None;
    for (i, r) in results.into_iter().enumerate() {
        match r {
            Some(Ok(Some(s))) => s.discard(),
            Some(Err(e)) if first.is_none() => first = Some((i, e)),
            _ => {}
        }
    }
    Err(first.unwrap_or_else(|| (0, io::Error::other("a file was not written"))))
}

/// Whether the regular file at `path` (its metadata `meta`) holds exactly `bytes`. A file that
/// cannot be read does not.
fn holds(path: &Path, meta: &Metadata, bytes: &[u8]) -> bool {
    meta.len() == bytes.len() as u64 && fs::read(path).is_ok_and(|old| old == bytes)
}

/// One file [`write_all`] renamed into place.
struct Renamed<'a> {
    shown: &'a Path,
    staged: &'a Staged,
    /// Whether a file was there before.
    existed: bool,
    /// A hard link to the file that was there before, to put it back.
    backup: Option<PathBuf>,
}

/// Put back the old files of the renames `done`, newest first, and remove the files that did not
/// exist before. Returns the files that could not be put back (they hold the new bytes).
fn roll_back(done: &[Renamed<'_>]) -> Vec<PathBuf> {
    let mut left = Vec::new();
    for r in done.iter().rev() {
        let restored = match (&r.backup, r.existed) {
            (Some(b), _) => fs::rename(b, &r.staged.path),
            (None, false) => fs::remove_file(&r.staged.path),
            // The old file could not be linked (a file system without hard links).
            (None, true) => Err(io::Error::other("no copy of the old file")),
        };
        if restored.is_err() {
            left.push(r.shown.to_path_buf());
        }
    }
    left.reverse();
    left
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_dead_runs_temporary_file_never_gets_in_the_way() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.txt");
        // What an earlier run of this process id would have left, with the old naming and a
        // guess at the new one.
        let pid = std::process::id();
        let stale = [
            format!(".a.txt.archflow-{pid}.tmp"),
            format!(".a.txt.archflow-{pid}-00000000.tmp"),
        ];
        for name in &stale {
            fs::write(dir.path().join(name), "left by a killed run").unwrap();
        }
        write(&path, b"new").unwrap();
        write(&path, b"newer").unwrap();
        assert_eq!(fs::read(&path).unwrap(), b"newer");
        for name in &stale {
            assert_eq!(
                fs::read_to_string(dir.path().join(name)).unwrap(),
                "left by a killed run"
            );
        }
    }

    #[test]
    fn a_rollback_puts_old_files_back_and_removes_new_ones() {
        let dir = tempfile::tempdir().unwrap();
        let (old, new) = (dir.path().join("old.txt"), dir.path().join("new.txt"));
        fs::write(&old, "before").unwrap();
        let meta = fs::metadata(&old).unwrap();
        let staged_old = Staged::write(&old, Some(&meta), b"after").unwrap();
        let staged_new = Staged::write(&new, None, b"created").unwrap();
        let backup = temp_name(&old);
        fs::hard_link(&old, &backup).unwrap();
        staged_old.commit().unwrap();
        staged_new.commit().unwrap();
        assert_eq!(fs::read(&old).unwrap(), b"after");
        let done = [
            Renamed {
                shown: &old,
                staged: &staged_old,
                existed: true,
                backup: Some(backup),
            },
            Renamed {
                shown: &new,
                staged: &staged_new,
                existed: false,
                backup: None,
            },
        ];
        assert!(roll_back(&done).is_empty());
        assert_eq!(fs::read(&old).unwrap(), b"before");
        assert!(!new.exists());
        assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 1);
    }

    #[test]
    fn a_batch_with_a_folder_in_the_way_writes_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let (a, b) = (dir.path().join("a.txt"), dir.path().join("b"));
        fs::write(&a, "old").unwrap();
        fs::create_dir(&b).unwrap();
        let e =
            write_all(&[(a.clone(), b"new".as_slice()), (b.clone(), b"x".as_slice())]).unwrap_err();
        assert_eq!(e.path, b);
        assert!(e.new.is_empty());
        assert_eq!(fs::read(&a).unwrap(), b"old");
        assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 2);
    }

    /// A batch large enough for several threads: every file holds its own bytes, in place of
    /// the old ones, and no temporary file is left.
    #[test]
    fn a_large_batch_writes_every_file() {
        let dir = tempfile::tempdir().unwrap();
        let paths: Vec<PathBuf> = (0..200)
            .map(|i| dir.path().join(format!("f{i}.txt")))
            .collect();
        fs::write(&paths[7], "old").unwrap();
        let bytes: Vec<String> = (0..200).map(|i| format!("file {i}")).collect();
        let files: Vec<(PathBuf, &[u8])> = paths
            .iter()
            .zip(&bytes)
            .map(|(p, b)| (p.clone(), b.as_bytes()))
            .collect();
        write_all(&files).unwrap();
        for (p, b) in paths.iter().zip(&bytes) {
            assert_eq!(fs::read_to_string(p).unwrap(), *b);
        }
        assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 200);
    }

    /// One file of a large batch cannot be written (its folder is missing): the error names it,
    /// the old files are as they were, and every file the threads staged is removed again.
    #[test]
    fn a_large_batch_with_one_failure_writes_nothing() {
        for failing in [0, 57, 199] {
            let dir = tempfile::tempdir().unwrap();
            let mut paths: Vec<PathBuf> = (0..200)
                .map(|i| dir.path().join(format!("f{i}.txt")))
                .collect();
            paths[failing] = dir.path().join("missing").join("x.txt");
            fs::write(&paths[(failing + 1) % 200], "old").unwrap();
            let files: Vec<(PathBuf, &[u8])> = paths
                .iter()
                .map(|p| (p.clone(), b"new".as_slice()))
                .collect();
            let e = write_all(&files).unwrap_err();
            assert_eq!(e.path, paths[failing]);
            assert_eq!(e.error.kind(), io::ErrorKind::NotFound);
            assert!(e.new.is_empty());
            let left: Vec<_> = fs::read_dir(dir.path())
                .unwrap()
                .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
                .collect();
            assert_eq!(left, [format!("f{}.txt", (failing + 1) % 200)], "{failing}");
            assert_eq!(
                fs::read_to_string(&paths[(failing + 1) % 200]).unwrap(),
                "old"
            );
        }
    }

    /// A file that already holds the new bytes is not written again (same inode, same time
    /// stamp); one that differs, even at the same length, is.
    #[test]
    fn unchanged_files_are_left_alone() {
        use std::os::unix::fs::MetadataExt as _;
        let dir = tempfile::tempdir().unwrap();
        let (same, other) = (dir.path().join("same.txt"), dir.path().join("other.txt"));
        fs::write(&same, "abc").unwrap();
        fs::write(&other, "abd").unwrap();
        let before = (fs::metadata(&same).unwrap(), fs::metadata(&other).unwrap());
        let outcomes = write_all(&[
            (same.clone(), b"abc".as_slice()),
            (other.clone(), b"abc".as_slice()),
        ])
        .unwrap();
        assert_eq!(outcomes, [Outcome::Unchanged, Outcome::Written]);
        let after = (fs::metadata(&same).unwrap(), fs::metadata(&other).unwrap());
        assert_eq!(after.0.ino(), before.0.ino());
        assert_eq!(after.0.mtime_nsec(), before.0.mtime_nsec());
        assert_ne!(after.1.ino(), before.1.ino());
        assert_eq!(fs::read(&other).unwrap(), b"abc");
        // One file alone, too.
        write(&same, b"abc").unwrap();
        assert_eq!(fs::metadata(&same).unwrap().ino(), before.0.ino());
        write(&same, b"xyz").unwrap();
        assert_ne!(fs::metadata(&same).unwrap().ino(), before.0.ino());
    }

    #[test]
    fn temporary_names_differ_and_stay_short() {
        let path = Path::new("x").join("é".repeat(120));
        let (a, b) = (temp_name(&path), temp_name(&path));
        assert_ne!(a, b);
        assert!(a.file_name().unwrap().len() <= 255, "{a:?}");
        assert!(a.file_name().unwrap().to_string_lossy().ends_with(".tmp"));
    }
}
