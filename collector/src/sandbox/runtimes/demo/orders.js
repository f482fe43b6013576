'use strict';

// Accepts an order and hands it to a background writer for the audit trail.
const auditTrail = [];

function audit(order) {
  setTimeout(() => {
    auditTrail.push(order.items.map((item) => item.sku).join(','));
    if (auditTrail.length > 100) auditTrail.shift();
  }, 20);
}

module.exports = {
  place: function (event) {
    const order = event.data;
    audit(order);
    console.log(`order ${order.id} accepted`);
    return { accepted: true, id: order.id };
  },
};
