//! Reading a test or rule file within a size bound: files come from anyone's pull request, and
//! one of 100 MB would be loaded, planned and evaluated whole. No real test file comes close
//! (Prometheus's largest promqltest script is about 110 KB, its large rule-file fixture 1.2 MB).

use std::io::Read;
use std::path::Path;

/// The largest test or rule file promtest reads: 8 MiB.
pub const MAX_INPUT_BYTES: u64 = 8 << 20;

/// The contents of the file at `path`, or an error when it cannot be read, is not UTF-8, or
/// is larger than [`MAX_INPUT_BYTES`] (checked before reading, and again while reading, for a
/// file that grows).
pub fn read_input_file(path: &Path) -> std::io::Result<String> {
    let file = std::fs::File::open(path)?;
    let len = file.metadata()?.len();
    if len > MAX_INPUT_BYTES {
        return Err(too_large(len));
    }
    let mut text = String::with_capacity(len as usize);
    file.take(MAX_INPUT_BYTES + 1).read_to_string(&mut text)?;
    if text.len() as u64 > MAX_INPUT_BYTES {
        return Err(too_large(text.len() as u64));
    }
    Ok(text)
}

/// The error for a file of `len` bytes.
fn too_large(len: u64) -> std::io::Error {
    std::io::Error::new(
        std::io::ErrorKind::FileTooLarge,
        format!(
            "file is {len} bytes, more than promtest's limit of {MAX_INPUT_BYTES} bytes (8 MiB)"
        ),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_over_the_limit_is_refused_before_it_is_read() {
        let dir = std::env::temp_dir().join(format!("promtest-input-file-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let big = dir.join("big.test");
        // Sparse: 100 MB long without writing 100 MB.
        std::fs::File::create(&big)
            .unwrap()
            .set_len(100 << 20)
            .unwrap();
        let e = read_input_file(&big).unwrap_err();
        assert_eq!(
            e.to_string(),
            "file is 104857600 bytes, more than promtest's limit of 8388608 bytes (8 MiB)"
        );
        let small = dir.join("small.test");
        std::fs::write(&small, "load 1m\n").unwrap();
        assert_eq!(read_input_file(&small).unwrap(), "load 1m\n");
        let _ = std::fs::remove_dir_all(&dir);
    }
}
