import Foundation

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// One blocking HTTP GET (the poller's thread may block; it owns no other work meanwhile).
enum HTTPFetch {
    struct Response {
        var status: Int
        var body: Data
        /// `Retry-After` in seconds, when given.
        var retryAfter: Double?
    }

    private final class Box: @unchecked Sendable {
        var result: Result<Response, Error> = .failure(URLError(.unknown))
    }

    static func get(_ url: URL, headers: [String: String], timeout: Double = 30) throws -> Response {
        var request = URLRequest(url: url, timeoutInterval: timeout)
        for (name, value) in headers { request.setValue(value, forHTTPHeaderField: name) }
        let box = Box()
        let done = DispatchSemaphore(value: 0)
        let task = URLSession.shared.dataTask(with: request) { data, response, error in
            if let error {
                box.result = .failure(error)
            } else {
                let http = response as? HTTPURLResponse
                let retry = (http?.value(forHTTPHeaderField: "Retry-After")).flatMap(Double.init)
                box.result = .success(Response(status: http?.statusCode ?? 0, body: data ?? Data(), retryAfter: retry))
            }
            done.signal()
        }
        task.resume()
        done.wait()
        return try box.result.get()
    }
}
