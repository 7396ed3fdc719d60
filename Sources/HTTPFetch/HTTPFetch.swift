import Foundation

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// One blocking HTTP GET (the poller's thread may block; it owns no other work meanwhile;
/// `chatter serve` calls it off the cooperative pool for SNS certificates).
public enum HTTPFetch {
    /// The status, body and `Retry-After` of one answer.
    public struct Response: Sendable {
        public var status: Int
        public var body: Data
        /// `Retry-After` in seconds, when given.
        public var retryAfter: Double?
    }

    private final class Box: @unchecked Sendable {
        var result: Result<Response, Error> = .failure(URLError(.unknown))
    }

    /// Answers a redirect with the redirect itself, so a URL checked before the fetch
    /// cannot lead anywhere else.
    private final class NoRedirects: NSObject, URLSessionTaskDelegate, @unchecked Sendable {
        func urlSession(
            _ session: URLSession, task: URLSessionTask, willPerformHTTPRedirection response: HTTPURLResponse,
            newRequest request: URLRequest, completionHandler: @escaping @Sendable (URLRequest?) -> Void
        ) {
            completionHandler(nil)
        }
    }

    private static let withoutRedirects = URLSession(
        configuration: .ephemeral, delegate: NoRedirects(), delegateQueue: nil)

    /// GETs `url`; transport failures throw, any HTTP status is an answer (with
    /// `followRedirects` false, a 3xx too).
    public static func get(
        _ url: URL, headers: [String: String], timeout: Double = 30, followRedirects: Bool = true
    ) throws -> Response {
        var request = URLRequest(url: url, timeoutInterval: timeout)
        for (name, value) in headers { request.setValue(value, forHTTPHeaderField: name) }
        let box = Box()
        let done = DispatchSemaphore(value: 0)
        let session = followRedirects ? URLSession.shared : withoutRedirects
        let task = session.dataTask(with: request) { data, response, error in
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
