"""What the demo organization is made of: names, places and words, no logic.

Vietnamese names follow the usual family-name shares (Nguyễn far ahead); international
customers come from the countries a shop in Hồ Chí Minh City sees most.
"""

from __future__ import annotations

from typing import Literal

Gender = Literal["female", "male"]

VN_FAMILY_NAMES = (
    ["Nguyễn"] * 8
    + ["Trần"] * 3
    + ["Lê"] * 3
    + ["Phạm"] * 2
    + ["Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô", "Dương", "Lý", "Trương", "Đinh"]
)
VN_MIDDLE_NAMES: dict[Gender, list[str]] = {
    "female": ["Thị", "Ngọc", "Thu", "Minh", "Thanh", "Bảo", "Hồng", "Kim"],
    "male": ["Văn", "Minh", "Quốc", "Đức", "Hữu", "Thành", "Gia", "Công"],
}
VN_GIVEN_NAMES: dict[Gender, list[str]] = {
    "female": [
        "Lan", "Hương", "Thảo", "Linh", "Trang", "Ngọc", "Mai", "Hà", "Phương", "Anh",
        "Yến", "Nhung", "Vy", "Chi", "Hạnh", "Quỳnh", "Thủy", "Hằng", "My", "Trâm",
    ],
    "male": [
        "Minh", "Hùng", "Tuấn", "Dũng", "Nam", "Hải", "Long", "Quang", "Phúc", "Khoa",
        "Huy", "Sơn", "Thắng", "Bảo", "Đạt", "Khánh", "Trung", "Vinh", "Tâm", "Hiếu",
    ],
}  # fmt: skip
VN_EMAIL_DOMAINS = ["gmail.com", "yahoo.com.vn", "outlook.com", "fpt.vn", "vnpt.vn", "example.vn"]
# Prefixes of Viettel, Vinaphone, MobiFone and others: numbers that phonenumbers finds valid.
VN_MOBILE_PREFIXES = ["090", "091", "093", "094", "096", "097", "098", "086", "088", "032", "035", "038", "070", "077"]

# country, locale, email domain, phone format ({} takes digits), given names (female, male), family names
INTERNATIONAL: list[tuple[str, str, str, str, tuple[list[str], list[str]], list[str]]] = [
    ("KR", "ko", "naver.com", "+82 10 2{3} {4}", (["Ji-woo", "Seo-yeon", "Min-ji"], ["Min-jun", "Ji-ho", "Hyun-woo"]),
     ["Kim", "Lee", "Park", "Choi"]),
    ("JP", "ja", "example.jp", "+81 90 1{3} {4}", (["Yui", "Haruka", "Aoi"], ["Haruto", "Sota", "Ren"]),
     ["Satō", "Suzuki", "Takahashi", "Tanaka"]),
    ("DE", "de", "example.de", "+49 151 {8}", (["Anna", "Lena", "Sophie"], ["Jürgen", "Lukas", "Felix"]),
     ["Müller", "Schmidt", "Weiß", "Schröder"]),
    ("FR", "fr", "example.fr", "+33 6 1{1} {2} {2} {2}", (["Chloé", "Léa", "Manon"], ["Théo", "Louis", "Étienne"]),
     ["Lefèvre", "Martin", "Bernard", "Dubois"]),
    ("US", "en", "example.com", "+1 415 555 {4}", (["Emily", "Olivia", "Grace"], ["James", "Noah", "Ethan"]),
     ["Smith", "Johnson", "Brown", "Miller"]),
    ("AU", "en-AU", "example.com.au", "+61 41{1} {3} {3}", (["Charlotte", "Ruby"], ["Jack", "Oliver"]),
     ["Wilson", "Taylor", "Nguyen"]),
    ("SG", "en-SG", "example.sg", "+65 91{2} {4}", (["Wei Ling", "Hui Min"], ["Wei Jie", "Jun Hao"]),
     ["Tan", "Lim", "Ng"]),
    ("SE", "sv", "example.se", "+46 70 {3} {2} {2}", (["Sara", "Astrid"], ["Erik", "Björn"]),
     ["Lindqvist", "Andersson", "Åberg"]),
    ("TH", "th", "example.co.th", "+66 81 {3} {4}", (["Siriporn", "Kanya"], ["Somchai", "Anan"]),
     ["Srisai", "Chaiyaporn"]),
]  # fmt: skip

# city, state, postcode, streets: the demo's addresses (postcodes in each country's format).
VN_PLACES = [
    ("Hồ Chí Minh", "Hồ Chí Minh", "70000", ["Lê Lợi", "Nguyễn Huệ", "Hai Bà Trưng", "Điện Biên Phủ", "Võ Văn Tần"]),
    ("Hà Nội", "Hà Nội", "10000", ["Hàng Bài", "Tràng Tiền", "Kim Mã", "Láng Hạ", "Hoàng Quốc Việt"]),
    ("Đà Nẵng", "Đà Nẵng", "50000", ["Bạch Đằng", "Trần Phú", "Nguyễn Văn Linh"]),
    ("Hải Phòng", "Hải Phòng", "04000", ["Lạch Tray", "Điện Biên Phủ"]),
    ("Cần Thơ", "Cần Thơ", "94000", ["Hòa Bình", "Ba Tháng Hai"]),
    ("Huế", "Thừa Thiên Huế", "49000", ["Lê Lợi", "Hùng Vương"]),
    ("Nha Trang", "Khánh Hòa", "57000", ["Trần Phú", "Yersin"]),
]
FOREIGN_PLACES = {
    "DE": ("Berlin", None, "10115", ["Friedrichstraße", "Unter den Linden"]),
    "FR": ("Paris", None, "75001", ["Rue de Rivoli", "Rue Saint-Honoré"]),
    "US": ("San Francisco", "CA", "94105", ["Market Street", "Mission Street"]),
    "JP": ("Tokyo", "Tokyo", "100-0001", ["Chiyoda", "Marunouchi"]),
    "KR": ("Seoul", "Seoul", "04524", ["Sejong-daero", "Eulji-ro"]),
    "AU": ("Sydney", "NSW", "2000", ["George Street", "Pitt Street"]),
    "SG": ("Singapore", None, "049145", ["Raffles Place", "Orchard Road"]),
    "SE": ("Stockholm", None, "111 52", ["Drottninggatan", "Kungsgatan"]),
    "TH": ("Bangkok", "Bangkok", "10330", ["Sukhumvit Road", "Silom Road"]),
}

# name, VAT id (Vietnamese tax codes are checksummed; EU ids carry their prefix), email domain
COMPANIES = [
    ("Công ty TNHH Phở Sài Gòn", "0100109106", "phosaigon.vn"),
    ("Công ty CP Cà Phê Cao Nguyên", "0543231948", "caphecaonguyen.vn"),
    ("Khách sạn Bến Thành", "0342366712", "benthanhhotel.vn"),
    ("Công ty TNHH Sự Kiện Ánh Dương", "0539336338", "anhduong-events.vn"),
    ("Trường Quốc tế Hòa Bình", "0242731672", "hoabinh-school.edu.vn"),
    ("Siêu thị Mini Gia Đình", "0093100251", "giadinhmart.vn"),
    ("Văn phòng Luật Minh Tâm", "0471874633", "minhtam-law.vn"),
    ("Müller Reisen GmbH", "DE136695976", "mueller-reisen.de"),
    ("Saigon Digital Pte. Ltd.", None, "saigondigital.sg"),
]

GROUPS = [("Khách thân thiết", False), ("Nhân viên văn phòng", False), ("Đại lý phân phối", True)]
TAGS = ["vip", "b2b", "pos", "giao-hang", "an-chay", "sinh-nhat", "su-kien", "khach-quen", "corporate", "tet-2026"]
SOURCES = ["website", "referral", "cold-call", "event", "pos", "import", "other"]

STAFF = [
    ("owner", "Trần Quốc Bảo", "bao.tran"),
    ("cashier", "Lê Thị Hồng", "hong.le"),
    ("cashier", "Phạm Minh Khoa", "khoa.pham"),
    ("marketing", "Nguyễn Thu Trang", "trang.nguyen"),
    ("marketing", "Emily Carter", "emily.carter"),
    ("sales", "Võ Thành Đạt", "dat.vo"),
    ("sales", "Đặng Ngọc Anh", "anh.dang"),
    ("sales", "Lukas Weber", "lukas.weber"),
]

TOPICS = ["uu-dai", "mon-moi", "su-kien", "cong-thuc"]
CONSENT_TEXT = (
    "Tôi đồng ý nhận bản tin và ưu đãi qua email từ Phở Demo Co. "
    "Tôi có thể hủy đăng ký bất cứ lúc nào bằng liên kết trong mỗi email."
)
SIGN_UP_SOURCES = ["website-footer", "checkout", "pos-tablet", "event-form"]
USER_AGENTS = [
    "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 Mobile/15E148 Safari/604.1",
    "Mozilla/5.0 (Linux; Android 15; SM-S921B) AppleWebKit/537.36 Chrome/131.0 Mobile Safari/537.36",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 Chrome/131.0 Safari/537.36",
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_6) AppleWebKit/605.1.15 Version/18.1 Safari/605.1.15",
]

INQUIRY_MESSAGES = [
    "Chúng tôi muốn đặt tiệc cho 40 người vào cuối tháng, xin báo giá.",
    "Công ty cần suất ăn trưa hằng ngày cho 25 nhân viên, có hợp đồng theo tháng không?",
    "Bên mình muốn làm đại lý phân phối nước dùng phở đóng gói ở Đà Nẵng.",
    "Do you cater for corporate events? About 120 guests in March.",
    "Xin hỏi có phục vụ món chay cho hội nghị 2 ngày không?",
    "We are a travel agency and would like group menus for tour guests.",
    "Tôi muốn mua thẻ quà tặng số lượng lớn cho nhân viên dịp Tết.",
    "Can you deliver 60 lunch boxes to our office in District 1 every Friday?",
]
INQUIRY_REPLIES = [
    "Cảm ơn anh/chị đã liên hệ. Em gửi báo giá kèm thực đơn trong email này ạ.",
    "Thanks for reaching out. Our events team will send a proposal by tomorrow.",
    "Dạ bên em có hợp đồng theo tháng, em xin hẹn gọi điện trao đổi chi tiết ạ.",
]
LOST_REASONS = ["Ngân sách không phù hợp", "Chose another caterer", "Không phản hồi sau 3 lần liên hệ", "Spam"]

INTERACTIONS = {
    "call": ["Gọi xác nhận đơn đặt tiệc", "Follow-up call about the quote", "Hỏi ý kiến sau khi giao hàng"],
    "email": ["Gửi báo giá thực đơn sự kiện", "Sent the monthly catering contract", "Gửi mã ưu đãi sinh nhật"],
    "meeting": ["Gặp mặt tại cửa hàng Quận 1", "Tasting session with the event team", "Họp với phòng hành chính"],
    "note": ["Khách thích bàn gần cửa sổ", "Prefers invoices in English", "Dị ứng đậu phộng"],
}
OUTCOMES = [None, "đã chốt", "cần báo giá lại", "quote requested", "no answer", "hẹn gặp lại tuần sau"]
MEMOS = [
    "Khách quen, thường đặt phở bò tái vào sáng thứ bảy.",
    "Asked for a VAT invoice for every order.",
    "Không dùng hành, ít bánh phở.",
    "Sinh nhật khách vào tháng này: gửi voucher.",
    "Complained once about a late delivery; was given 200 points.",
    "Giới thiệu 3 khách mới trong năm nay.",
    "Prefers to be contacted by Zalo rather than phone calls.",
]

PIPELINE = "Tiệc & hợp đồng"
STAGES = [("Mới", "open"), ("Đã liên hệ", "open"), ("Báo giá", "open"), ("Đàm phán", "open"), ("Thắng", "won"),
          ("Thua", "lost")]  # fmt: skip
DEAL_TITLES = [
    "Tiệc tất niên {n} khách",
    "Hợp đồng suất ăn trưa {n} người",
    "Catering for a conference, {n} guests",
    "Đại lý nước dùng phở, {n} thùng/tháng",
    "Thẻ quà tặng Tết, {n} thẻ",
]
