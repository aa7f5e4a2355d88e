package io.tickshard.simulator;

/**
 * The broker's data API refusals the simulator gives, with the codes and messages of its annexure
 * (https://dhanhq.co/docs/v2/annexure, "Trading API Error"); the {@code errorType} spelling with
 * underscores ({@code Input_Exception}) is what clients see on the wire. Answered as {@code
 * {"errorType": ..., "errorCode": ..., "errorMessage": ...}}.
 */
enum DataApiError {
  INVALID_AUTHENTICATION(
      401,
      "Unauthorized",
      "Invalid_Authentication",
      "DH-901",
      "Client ID or user generated access token is invalid or expired."),
  RATE_LIMIT(
      429,
      "Too Many Requests",
      "Rate_Limit",
      "DH-904",
      "Too many requests on server from single user breaching rate limits. Try throttling API"
          + " calls."),
  INPUT_EXCEPTION(
      400,
      "Bad Request",
      "Input_Exception",
      "DH-905",
      "Missing required fields, bad values for parameters etc.");

  final int status;
  final String reason;
  final String type;
  final String code;
  final String message;

  DataApiError(int status, String reason, String type, String code, String message) {
    this.status = status;
    this.reason = reason;
    this.type = type;
    this.code = code;
    this.message = message;
  }
}
