/** The Skein version reported by `core/hello`. */
export const SKEIN_VERSION = '0.1.0'
