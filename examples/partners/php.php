<?php
// SpektrixAPI3 with PHP's standard library (no extension): a signed GET, then a signed POST.
// BASE_URL (e.g. http://localhost:3000), API_USERNAME and API_KEY from the claim page.
$url = getenv('BASE_URL') . '/api/v3/customers';
$username = getenv('API_USERNAME');
$key = base64_decode(getenv('API_KEY'));

function signed($method, $url, $body, $username, $key) {
    $date = gmdate(DATE_RFC1123); // "Tue, 01 Dec 2026 10:00:00 +0000", signed as sent
    $lines = [$method, $url, $date];
    if ($body !== null) { // base64 of the raw MD5 digest of the exact bytes sent
        $lines[] = base64_encode(md5($body, true));
    }
    $signature = base64_encode(hash_hmac('sha1', implode("\n", $lines), $key, true));
    $headers = ["Date: $date", "Authorization: SpektrixAPI3 $username:$signature"];
    $http = ['method' => $method, 'ignore_errors' => true];
    if ($body !== null) {
        $http['content'] = $body;
        $headers[] = 'Content-Type: application/json';
    }
    $http['header'] = implode("\r\n", $headers);
    $answer = file_get_contents($url, false, stream_context_create(['http' => $http]));
    preg_match('/^HTTP\/\S+ (\d{3})/', $http_response_header[0] ?? '', $status);
    echo "$method {$status[1]} $answer\n";
    return ($status[1] ?? '') === '200';
}

$ok = signed('GET', $url, null, $username, $key);
$ok = signed('POST', $url, json_encode(['firstName' => 'Ada', 'lastName' => 'Lovelace']), $username, $key) && $ok;
exit($ok ? 0 : 1);
