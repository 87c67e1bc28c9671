import Archive
import Foundation

/// One file in /dev/shm, rewritten with each input: cheaper than a new file per run. (A static, not a
/// global: libFuzzer's `main` never runs this file's top-level code, which initializes globals.)
enum Scratch {
    static let handle: FileHandle? = {
        let path = "/dev/shm/berth-fuzz-tar-\(getpid())"
        guard FileManager.default.createFile(atPath: path, contents: nil), let handle = FileHandle(forUpdatingAtPath: path) else { return nil }
        unlink(path)
        return handle
    }()
}

/// The input as a tar archive, read as `docker cp`, `docker load` and layer extraction read one: every
/// entry's path checked as they check it, every entry's data (sparse maps included) streamed.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzTar(_ start: UnsafeRawPointer, _ count: Int) -> CInt {
    guard let scratch = Scratch.handle else { return 0 }
    let fd = scratch.fileDescriptor
    guard ftruncate(fd, 0) == 0, pwrite(fd, start, count, 0) == count, lseek(fd, 0, SEEK_SET) == 0,
        let reader = try? TarReader(handle: scratch)
    else { return 0 }
    var entries = 0
    while entries < 10_000, let entry = try? reader.next() {
        entries += 1
        if let safe = try? TarPath.safeRelative(entry.path), entry.kind == .symlink {
            _ = TarPath.isSafeSymlink(target: entry.linkName, at: safe)
        }
        if entry.kind.hasData {
            _ = try? reader.forEachDataChunk { _ in }
        }
    }
    return 0
}
