//! Files a test writes for the code under test to read, in a private temporary directory
//! (on `tempfile`) that is removed when the file handle is dropped.

use std::ops::Deref;
use std::path::{Path, PathBuf};

use tempfile::TempDir;

/// A file named `name` with the given bytes, alone in its own temporary directory; the
/// directory goes away with the value. Dereferences to the file's path.
#[derive(Debug)]
pub struct ScratchFile {
    _dir: TempDir,
    path: PathBuf,
}

impl ScratchFile {
    /// Writes `bytes` to a new file called `name` (the name is kept: some readers look at it).
    pub fn new(name: &str, bytes: impl AsRef<[u8]>) -> ScratchFile {
        let dir = tempfile::Builder::new()
            .prefix("paygen-test-")
            .tempdir()
            .expect("a temporary directory");
        let path = dir.path().join(name);
        std::fs::write(&path, bytes).expect("write the scratch file");
        ScratchFile { _dir: dir, path }
    }
}

impl Deref for ScratchFile {
    type Target = Path;
    fn deref(&self) -> &Path {
        &self.path
    }
}

impl AsRef<Path> for ScratchFile {
    fn as_ref(&self) -> &Path {
        &self.path
    }
}

/// An empty temporary directory, removed when dropped.
pub fn scratch_dir() -> TempDir {
    tempfile::Builder::new()
        .prefix("paygen-test-")
        .tempdir()
        .expect("a temporary directory")
}
