import GRDB
import TrackingModel
