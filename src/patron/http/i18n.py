"""Vietnamese for the messages Patron itself writes (SPEC §10: English or Vietnamese by Accept-Language).

Messages from libraries (for example the email validator's) stay in English.
"""

from __future__ import annotations

import re

_EXACT = {
    "a registered customer has this email": "một khách hàng đã đăng ký dùng email này",
    "a request with this Idempotency-Key is still in progress": "một yêu cầu với Idempotency-Key này đang được xử lý",
    "a staff member with this email exists": "đã có nhân viên dùng email này",
    "an unexpected error happened; it has been logged": "đã xảy ra lỗi ngoài dự kiến; lỗi đã được ghi lại",
    "another customer has this number": "mã khách hàng này đã được dùng",
    "another registered customer has taken this email meanwhile": (
        "trong lúc đó một khách hàng khác đã đăng ký email này"
    ),
    "applies to text fields only": "chỉ áp dụng cho trường văn bản",
    "cannot be in the future": "không được ở tương lai",
    "changes only through the lifecycle routes": "chỉ thay đổi qua các thao tác vòng đời",
    "give a first_name, a last_name or a company_name": "cần có first_name, last_name hoặc company_name",
    "invalid admin token": "mã quản trị không hợp lệ",
    "invalid or revoked API key": "khóa API không hợp lệ hoặc đã bị thu hồi",
    "is disabled for this organization": "đã bị tắt trong tổ chức này",
    "is empty": "đang trống",
    "is not a known field": "không phải là trường hợp lệ",
    "is not a phone number": "không phải là số điện thoại",
    "is not a valid phone number": "không phải là số điện thoại hợp lệ",
    "is not a staff member of this organization": "không phải là nhân viên của tổ chức này",
    "is not a custom field of this organization": "không phải là trường tùy chỉnh của tổ chức này",
    "is not a cursor given by this API": "không phải là con trỏ do API này cấp",
    "is not a BCP 47 locale": "không phải là mã ngôn ngữ BCP 47",
    "is not an IANA time zone": "không phải là múi giờ IANA",
    "is not an ISO 3166-1 alpha-2 country code": "không phải là mã quốc gia ISO 3166-1 alpha-2",
    "is not an ISO 4217 currency code": "không phải là mã tiền tệ ISO 4217",
    "is required": "là bắt buộc",
    "is required by this organization": "là bắt buộc trong tổ chức này",
    "is set by the server and cannot be written": "do máy chủ đặt, không thể ghi",
    "must be an ETag given by this API": "phải là ETag do API này cấp",
    "no customer has this email": "không có khách hàng nào dùng email này",
    "no such route": "không có đường dẫn này",
    "tags cannot be blank": "thẻ không được để trống",
    "the customer changed since you read it (If-Match)": "khách hàng đã thay đổi kể từ lúc bạn đọc (If-Match)",
    "the customer is deleted; restore it first": "khách hàng đã bị xóa; hãy khôi phục trước",
    "the organization's only owner cannot be removed or demoted": "không thể xóa hoặc hạ quyền chủ sở hữu duy nhất",
    "was used before with a different request body": "đã được dùng trước đó với nội dung yêu cầu khác",
    "customer not found": "không tìm thấy khách hàng",
    "staff member not found": "không tìm thấy nhân viên",
    "send `Authorization: Bearer <api key>`": "hãy gửi `Authorization: Bearer <api key>`",
    "organization not found": "không tìm thấy tổ chức",
    "subscriber not found": "không tìm thấy người đăng ký",
    "inquiry not found": "không tìm thấy yêu cầu tư vấn",
    "webhook not found": "không tìm thấy webhook",
    "cannot be blank": "không được để trống",
    "this link is not valid (it may have been replaced by a newer one)": (
        "liên kết này không hợp lệ (có thể đã được thay bằng liên kết mới hơn)"
    ),
}

_PATTERNS = [
    (re.compile(r"^is not a valid VAT id for (\w+)$"), r"không phải là mã số thuế hợp lệ của \1"),
    (re.compile(r"^must have at least (\d+) characters$"), r"phải có ít nhất \1 ký tự"),
    (re.compile(r"^must be a (\w+)$"), r"phải là kiểu \1"),
    (re.compile(r"^repeats (customers\[\d+\]\.\w+)$"), r"trùng với \1"),
    (re.compile(r"^another customer took this (.+) meanwhile$"), r"trong lúc đó một khách hàng khác đã dùng \1 này"),
    (re.compile(r"^the (\w+) role may not do this \((.+)\)$"), r"vai trò \1 không được phép làm việc này (\2)"),
    (re.compile(r"^has an unknown (language|region) (.+)$"), r"có mã không xác định \2"),
    (
        re.compile(r"^cannot (\w+) an inquiry that is (\w+) \(only when (.+)\)$"),
        r"không thể thực hiện \1 với yêu cầu đang ở trạng thái \2 (chỉ khi \3)",
    ),
    (
        re.compile(r"^too many inquiries; at most (\d+) per (\d+) seconds from one address or email$"),
        r"quá nhiều yêu cầu tư vấn; tối đa \1 yêu cầu mỗi \2 giây từ một địa chỉ hoặc email",
    ),
]


def to_vietnamese(message: str) -> str:
    """The Vietnamese form of one of Patron's messages, or the message unchanged."""
    if message in _EXACT:
        return _EXACT[message]
    for pattern, replacement in _PATTERNS:
        if pattern.match(message):
            return pattern.sub(replacement, message)
    return message
