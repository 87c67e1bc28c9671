import Foundation
import NIOCore

/// A file as an async sequence of 1 MiB `ByteBuffer`s: the body of a blob upload. Each iteration opens
/// the file anew, so a request can be sent again (after a 401) with the same body. Progress is reported
/// as bytes read so far. Reads block the calling thread for one chunk at a time, which is fine for
/// local files.
struct FileChunks: AsyncSequence, Sendable {
    typealias Element = ByteBuffer

    static let chunkSize = 1 << 20

    let path: String
    let progress: @Sendable (Int64) -> Void

    func makeAsyncIterator() -> Iterator { Iterator(path: path, progress: ProgressReporter(progress)) }

    struct Iterator: AsyncIteratorProtocol {
        let path: String
        var progress: ProgressReporter
        var handle: FileHandle?
        var done: Int64 = 0
        var finished = false

        init(path: String, progress: ProgressReporter) {
            self.path = path
            self.progress = progress
        }

        mutating func next() async throws -> ByteBuffer? {
            guard !finished else { return nil }
            try Task.checkCancellation()
            do {
                if handle == nil { handle = try FileHandle(forReadingFrom: URL(fileURLWithPath: path)) }
                guard let chunk = try handle?.read(upToCount: FileChunks.chunkSize), !chunk.isEmpty else {
                    finished = true
                    try? handle?.close()
                    handle = nil
                    progress.finish(done)
                    return nil
                }
                done += Int64(chunk.count)
                progress.update(done)
                return ByteBuffer(bytes: chunk)
            } catch {
                finished = true
                try? handle?.close()
                handle = nil
                throw RegistryError(.io, "cannot read \(path): \(error)", cause: error)
            }
        }
    }
}
