import Foundation
import TrackingModel

/// The names and texts the demo store is made of (`Assets/demo/dataset.json`).
public struct DemoDataset: Decodable, Sendable {
    public struct Person: Decodable, Sendable {
        public var name: String
        public var email: String?
    }

    public struct ThreadSeed: Decodable, Sendable {
        public var model: String
        public var key: String
        public var name: String
        /// Name of the thread's main partner.
        public var partner: String?
    }

    /// One realistic failure text of a kind.
    public struct Failure: Decodable, Sendable {
        public var status: String?
        public var description: String
        public var server: String?
        public var errorType: String?
        /// Why it failed, as the sources would classify the text (`user_unknown`, `blocked` ...).
        public var cause: FailureCause?

        enum CodingKeys: String, CodingKey {
            case status, description, server, cause
            case errorType = "error_type"
        }

        public init(
            status: String? = nil, description: String, server: String? = nil, errorType: String? = nil,
            cause: FailureCause? = nil
        ) {
            self.status = status
            self.description = description
            self.server = server
            self.errorType = errorType
            self.cause = cause
        }
    }

    /// A reader's client, for open and click events.
    public struct OpenProfile: Decodable, Sendable {
        public var ip: String?
        public var userAgent: String?
        public var osFamily: String?
        public var uaFamily: String?
        public var uaType: String?
        public var mobile: Bool?
        public var country: String?

        enum CodingKeys: String, CodingKey {
            case ip, mobile, country
            case userAgent = "user_agent"
            case osFamily = "os_family"
            case uaFamily = "ua_family"
            case uaType = "ua_type"
        }
    }

    public var me: Person
    public var aliases: [String]
    public var partners: [Person]
    public var threads: [ThreadSeed]
    public var subjects: [String: [String]]
    public var bodies: [String]
    public var rawAddresses: [String]
    public var failures: [String: [Failure]]
    public var opens: [OpenProfile]
    public var urls: [String]

    enum CodingKeys: String, CodingKey {
        case me, aliases, partners, threads, subjects, bodies, failures, opens, urls
        case rawAddresses = "raw_addresses"
    }

    /// Decodes the dataset file.
    public static func load(from data: Data) throws(StoreError) -> DemoDataset {
        do {
            return try JSONDecoder().decode(DemoDataset.self, from: data)
        } catch {
            throw .invalidInput("demo dataset: \(error)")
        }
    }
}
