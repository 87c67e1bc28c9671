import NIOCore
import NIOHTTP1
import Crypto
import Logging
