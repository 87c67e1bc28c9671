import Messages

/// The shapes of the image endpoints' answers, by API version.
enum ImageDocuments {
    static func summary(_ image: ImageUsage, version: APIVersion) -> JSONValue {
        let placeholders = version < APIVersion(major: 1, minor: 43)
        var members: [(String, JSONValue)] = [
            ("Id", .string(image.id)), ("ParentId", .string(image.parentID)),
            ("RepoTags", .from(image.repoTags.isEmpty && placeholders ? ["<none>:<none>"] : image.repoTags)),
            ("RepoDigests", .from(image.repoDigests.isEmpty && placeholders ? ["<none>@<none>"] : image.repoDigests)),
            ("Created", .int(image.created)), ("Size", .int(image.size)), ("SharedSize", .int(image.sharedSize)),
            ("Labels", .from(image.labels)), ("Containers", .int(image.containers)),
        ]
        if version < APIVersion(major: 1, minor: 44) { members.append(("VirtualSize", .int(image.size))) }
        return .object(members)
    }

    static func inspect(_ image: ImageDetails, version: APIVersion) -> JSONValue {
        var members: [(String, JSONValue)] = [
            ("Id", .string(image.summary.id)), ("RepoTags", .from(image.summary.repoTags)),
            ("RepoDigests", .from(image.summary.repoDigests)), ("Parent", .string(image.summary.parentID)),
            ("Comment", .string(image.comment)), ("Created", .string(image.createdAt)),
            ("DockerVersion", .string(image.dockerVersion)), ("Author", .string(image.author)), ("Config", image.config),
            ("Architecture", .string(image.architecture)),
        ]
        if let variant = image.variant { members.append(("Variant", .string(variant))) }
        members += [
            ("Os", .string(image.os)), ("Size", .int(image.summary.size)),
            ("GraphDriver", ["Name": .string(image.storageDriver), "Data": nil]),
            ("RootFS", ["Type": "layers", "Layers": .from(image.layers)]),
            ("Metadata", ["LastTagTime": image.lastTagTime.map(JSONValue.string) ?? "0001-01-01T00:00:00Z"]),
        ]
        if version < APIVersion(major: 1, minor: 44) { members.append(("VirtualSize", .int(image.summary.size))) }
        return .object(members)
    }

    static func history(_ entry: ImageHistoryEntry) -> JSONValue {
        [
            "Id": .string(entry.id), "Created": .int(entry.created), "CreatedBy": .string(entry.createdBy),
            "Tags": entry.tags.isEmpty ? nil : .from(entry.tags), "Size": .int(entry.size), "Comment": .string(entry.comment),
        ]
    }

    static func deleteItem(_ item: ImageDeleteItem) -> JSONValue {
        switch item {
        case .untagged(let name): ["Untagged": .string(name)]
        case .deleted(let id): ["Deleted": .string(id)]
        }
    }
}
