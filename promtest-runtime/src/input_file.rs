//! Reading a test or rule file within a size bound: files come from anyone's pull request, and
//! one of 100 MB would be loaded, planned and evaluated whole. No real test file comes close
//! (Prometheus's largest promqltest script is about 110 KB, its large rule-file fixture 1.2 MB).

use std::io::Read;
use std::path::Path;

/// The largest test or rule file promtest reads by default: 2 MiB. The worst shapes (a load of
/// many short series, one series of very many labels) take about 100 bytes of memory per byte
/// of file, so even those stay near 200 MB. [`MAX_INPUT_BYTES_ENV`] raises (or lowers) it.
pub const MAX_INPUT_BYTES: u64 = 2 << 20;

/// The environment variable that sets the input size limit in bytes, for a trusted suite whose
/// generated files are larger than [`MAX_INPUT_BYTES`].
pub const MAX_INPUT_BYTES_ENV: &str = "PROMTEST_MAX_INPUT_BYTES";

/// The limit in force: [`MAX_INPUT_BYTES_ENV`] when it holds a number, else the default.
fn max_input_bytes() -> u64 {
    std::env::var(MAX_INPUT_BYTES_ENV)
        .ok()
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or(MAX_INPUT_BYTES)
}

/// The contents of the file at `path`, or an error when it cannot be read, is not UTF-8, or
/// is larger than the limit (checked before reading, and again while reading, for a file that
/// grows).
pub fn read_input_file(path: &Path) -> std::io::Result<String> {
    let max = max_input_bytes();
    let file = std::fs::File::open(path)?;
    let len = file.metadata()?.len();
    if len > max {
        return Err(too_large(len, max));
    }
    let mut text = String::with_capacity(len as usize);
    file.take(max.saturating_add(1)).read_to_string(&mut text)?;
    if text.len() as u64 > max {
        return Err(too_large(text.len() as u64, max));
    }
    Ok(text)
}

/// The error for a file of `len` bytes over the limit `max`.
fn too_large(len: u64, max: u64) -> std::io::Error {
    let how = if max == MAX_INPUT_BYTES {
        format!("{max} bytes (2 MiB; set {MAX_INPUT_BYTES_ENV} to raise it)")
    } else {
        format!("{max} bytes (from {MAX_INPUT_BYTES_ENV})")
    };
    std::io::Error::new(
        std::io::ErrorKind::FileTooLarge,
        format!("file is {len} bytes, more than promtest's limit of {how}"),
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
            "file is 104857600 bytes, more than promtest's limit of 2097152 bytes (2 MiB; \
             set PROMTEST_MAX_INPUT_BYTES to raise it)"
        );
        let small = dir.join("small.test");
        std::fs::write(&small, "load 1m\n").unwrap();
        assert_eq!(read_input_file(&small).unwrap(), "load 1m\n");
        let _ = std::fs::remove_dir_all(&dir);
    }
}
