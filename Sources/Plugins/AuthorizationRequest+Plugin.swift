import Messages

extension AuthorizationRequest {
    /// The members of an `AuthZPlugin.AuthZReq` body. Bodies travel as base64, as Go writes a `[]byte`,
    /// and are left out when there is none.
    var pluginMembers: [(String, JSONValue)] {
        var members: [(String, JSONValue)] = [
            ("User", .string(user)), ("UserAuthNMethod", ""), ("RequestMethod", .string(method)), ("RequestURI", .string(uri)),
        ]
        if let body, !body.isEmpty { members.append(("RequestBody", .string(body.base64EncodedString()))) }
        members.append(("RequestHeaders", .from(headers)))
        return members
    }
}

extension AuthorizationResponse {
    /// The members an `AuthZPlugin.AuthZRes` body adds to the request's.
    var pluginMembers: [(String, JSONValue)] {
        var members: [(String, JSONValue)] = [("ResponseStatusCode", .from(statusCode))]
        if let body, !body.isEmpty { members.append(("ResponseBody", .string(body.base64EncodedString()))) }
        members.append(("ResponseHeaders", .from(headers)))
        return members
    }
}
