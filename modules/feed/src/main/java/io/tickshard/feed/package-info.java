/** The DhanHQ v2 live market feed protocol, as plain Java. */
package io.tickshard.feed;
