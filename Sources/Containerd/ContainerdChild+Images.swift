import ContainerdAPI
import Messages

extension ContainerdChild {
    /// Creates the record, or replaces the target and labels of an existing one of that name.
    public func putImageRecord(_ record: ImageRecord) async throws {
        let image = Containerd_Services_Images_V1_Image(record)
        try await call("image put \(record.name)") { connection in
            do {
                _ = try await connection.images.create(.with { $0.image = image }, options: ContainerdConnection.unary)
            } catch where error.rpcCode == .alreadyExists {
                _ = try await connection.images.update(
                    .with {
                        $0.image = image
                        $0.updateMask = .with { $0.paths = ["target", "labels"] }
                    },
                    options: ContainerdConnection.unary)
            }
        }
    }

    /// Deletes the record and waits for containerd's collection that follows (a synchronous delete), so
    /// that what only the image kept alive is gone when this returns.
    public func deleteImageRecord(named name: String) async throws {
        _ = try await callUnlessNotFound("image delete \(name)") { connection in
            try await connection.images.delete(
                .with {
                    $0.name = name
                    $0.sync = true
                },
                options: ContainerdConnection.slow)
        }
    }

    public func imageRecords() async throws -> [ImageRecord] {
        try await call("image list") { connection in
            try await connection.images.list(.init(), options: ContainerdConnection.unary).images.map(ImageRecord.init)
        }
    }
}

extension Containerd_Services_Images_V1_Image {
    init(_ record: ImageRecord) {
        self.init()
        name = record.name
        labels = record.labels
        target = .with {
            $0.mediaType = record.target.mediaType
            $0.digest = record.target.digest
            $0.size = record.target.size
        }
    }
}

extension ImageRecord {
    init(_ image: Containerd_Services_Images_V1_Image) {
        self.init(
            name: image.name,
            target: ContentDescriptor(mediaType: image.target.mediaType, digest: image.target.digest, size: image.target.size),
            labels: image.labels)
    }
}
